package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.cluster.kubernetes.helm.HelmRenderer;
import io.tidemark.desired.InvalidRevisionException;
import io.tidemark.desired.RenderError;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.Labels;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.SourceLocation;
import io.tidemark.model.Trees;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** HelmRelease documents rendered in process by Helm's own library into the desired state. */
class HelmReleaseLoadingTest {

  private static final RevisionInfo REVISION = new RevisionInfo("c0ffee1234", "a", "m", null);
  private static final Path REPO = Path.of("src/test/resources/fixtures/helm/repo");

  private final HelmRenderer helm = new HelmRenderer();
  private final KubernetesManifestLoader loader =
      new KubernetesManifestLoader("shop", "apps-default", f -> "", helm);

  @Test
  void rendersALocalChartWithValuesFilesAndInlineValuesInTheReleaseNamespace() throws Exception {
    DesiredState state = loader.load(REPO, "apps", REVISION);

    ObjectKey deployment = new ObjectKey("Deployment.apps", "helm-apps", "orders");
    ObjectKey settings = new ObjectKey("ConfigMap", "helm-apps", "orders-settings");
    assertThat(state.objects())
        .containsOnlyKeys(
            deployment,
            settings,
            new ObjectKey("Service", "helm-apps", "orders"),
            new ObjectKey(
                "CustomResourceDefinition.apiextensions.k8s.io", "", "widgets.helm.tidemark.io"));
    DesiredObject rendered = state.objects().get(deployment);
    assertThat(Trees.at(rendered.spec(), "spec", "replicas")).isEqualTo(3);
    assertThat(Trees.at(state.objects().get(settings).spec(), "data", "greeting"))
        .isEqualTo("from-values-file");
    assertThat(Trees.at(rendered.spec(), "metadata", "labels", Labels.TARGET)).isEqualTo("shop");
    assertThat(rendered.source()).isEqualTo(new SourceLocation("apps/release.yaml", 1));
  }

  @Test
  void takesTheChartsCrdsAsTheyAreWithTheirOwnFileAndSkipsTestHooks() throws Exception {
    DesiredState state = loader.load(REPO, "apps", REVISION);

    assertThat(state.list())
        .filteredOn(o -> o.key().kind().startsWith("CustomResourceDefinition"))
        .extracting(DesiredObject::source)
        .containsExactly(new SourceLocation("apps/charts/web/crds/widgets.yaml", 1));
    assertThat(state.objects().keySet()).noneMatch(k -> k.name().equals("orders-test"));
  }

  @Test
  void doesNotTemplateAgainWhenNothingChanged() throws Exception {
    loader.load(REPO, "apps", REVISION);
    loader.load(REPO, "apps", REVISION);

    assertThat(helm.renders()).isEqualTo(1);
  }

  @Test
  void aNullInlineValueRemovesTheChartsDefaultAsInHelm() throws Exception {
    DesiredState state = loader.load(REPO, "nulls", REVISION);

    DesiredObject map = state.objects().get(new ObjectKey("ConfigMap", "helm-nulls", "trimmed"));
    assertThat(Trees.at(map.spec(), "data")).isEqualTo(java.util.Map.of("kept", "1"));
    assertThat(Trees.at(map.spec(), "metadata", "labels"))
        .isEqualTo(java.util.Map.of(Labels.TARGET, "shop"));
  }

  @Test
  void rejectsAMissingRequiredValueWithTheReleaseLineAndHelmsMessage() {
    assertThatThrownBy(() -> loader.load(REPO, "required", REVISION))
        .isInstanceOfSatisfying(
            InvalidRevisionException.class,
            e -> {
              RenderError error = e.errors().get(0);
              assertThat(error.location())
                  .isEqualTo(new SourceLocation("required/release.yaml", 2));
              assertThat(error.message())
                  .contains("HelmRelease db")
                  .contains("strict/templates/cm.yaml:6")
                  .contains("a database password is required");
            });
  }

  @Test
  void rejectsTheWholeRevisionOnATemplateErrorWithTemplateNameAndLine() {
    assertThatThrownBy(() -> loader.load(REPO, "broken", REVISION))
        .isInstanceOfSatisfying(
            InvalidRevisionException.class,
            e -> {
              assertThat(e.errors()).hasSize(1);
              RenderError error = e.errors().get(0);
              assertThat(error.location()).isEqualTo(new SourceLocation("broken/release.yaml", 5));
              assertThat(error.message())
                  .contains("broken/templates/cm.yaml:6")
                  .contains("nosuchfunction");
            });
  }

  @Test
  void rejectsAChartThatIsNotThere() {
    assertThatThrownBy(() -> loader.load(REPO, "missing", REVISION))
        .isInstanceOfSatisfying(
            InvalidRevisionException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        new RenderError(
                            new SourceLocation("missing/release.yaml", 1),
                            "HelmRelease gone: chart not found: ../charts/nowhere (no Chart.yaml)")));
  }
}
