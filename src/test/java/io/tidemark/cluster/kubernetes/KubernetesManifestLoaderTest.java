package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.desired.InvalidRevisionException;
import io.tidemark.desired.RenderError;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.Labels;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.SourceLocation;
import io.tidemark.model.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading Kubernetes manifests from a checkout on disk. */
class KubernetesManifestLoaderTest {

  private static final RevisionInfo REVISION = new RevisionInfo("c0ffee1234", "a", "m", null);

  @TempDir Path repo;

  private final KubernetesManifestLoader loader =
      new KubernetesManifestLoader(
          "shop", "apps-default", KubectlKustomize.fromPath(Duration.ofSeconds(60)));

  @Test
  void readsEveryManifestFileBelowTheFolderInNameOrderWithLines() throws Exception {
    write(
        "k8s/b.yaml",
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b2}\n");
    write("k8s/a/x.yml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    write(
        "k8s/c.json",
        "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"ConfigMap\",\n\t\"metadata\": {\"name\": \"c\"}\n}\n");
    write("k8s/README.md", "not a manifest");
    write("k8s/.github/ci.yaml", "jobs: {}");
    write("elsewhere.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: not-mine}\n");

    DesiredState state = loader.load(repo, "k8s", REVISION);

    assertThat(state.list())
        .extracting(DesiredObject::source)
        .containsExactly(
            new SourceLocation("k8s/a/x.yml", 1),
            new SourceLocation("k8s/b.yaml", 2),
            new SourceLocation("k8s/b.yaml", 7),
            new SourceLocation("k8s/c.json", 1));
    assertThat(state.objects()).containsKey(new ObjectKey("ConfigMap", "apps-default", "c"));
  }

  @Test
  void unpacksListsItemByItem() throws Exception {
    write(
        "list.yaml",
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: one}\n"
            + "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: two}\n");

    assertThat(loader.load(repo, ".", REVISION).list())
        .extracting(o -> o.key().name() + "@" + o.source().line())
        .containsExactly("one@4", "two@7");
  }

  @Test
  void readsJsonListsWithTheirItemLinesAndRefusesBrokenJson() throws Exception {
    write(
        "list.json",
        "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMapList\",\n \"items\": [\n"
            + "  {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"},"
            + " \"data\": {\"url\": \"http:\\/\\/x\"}},\n"
            + "  {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"b\"}}\n]}\n");

    DesiredState state = loader.load(repo, ".", REVISION);

    assertThat(state.list()).extracting(o -> o.source().line()).containsExactly(3, 4);
    assertThat(Trees.at(state.list().get(0).spec(), "data", "url")).isEqualTo("http://x");

    write("broken.json", "{\"kind\": \"ConfigMap\",\n \"kind\": \"Secret\"}\n");
    assertThat(errors("."))
        .extracting(RenderError::toString)
        .singleElement()
        .asString()
        .startsWith("broken.json:2: JSON: Duplicate field 'kind'");
  }

  @Test
  void keysKindsByGroupAndDefaultsOnlyNamespacedObjects() throws Exception {
    write("crd.yaml", Fixtures.text("crd-and-cr", "crd.yaml").replace("Namespaced", "Cluster"));
    write(
        "cr.yaml", Fixtures.text("crd-and-cr", "desired.yaml").replace("  namespace: shop\n", ""));
    write(
        "rest.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n"
            + "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader}\n---\n"
            + "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n---\n"
            + "apiVersion: other.example.com/v1\nkind: Widget\nmetadata: {name: w}\n");

    DesiredState state = loader.load(repo, ".", REVISION);

    assertThat(state.objects().keySet())
        .containsExactlyInAnyOrder(
            ObjectKey.of(
                "CustomResourceDefinition.apiextensions.k8s.io", "backupschedules.ops.example.com"),
            ObjectKey.of("BackupSchedule.ops.example.com", "mysql-nightly"),
            ObjectKey.of("Namespace", "shop"),
            ObjectKey.of("ClusterRole.rbac.authorization.k8s.io", "reader"),
            new ObjectKey("Deployment.apps", "apps-default", "web"),
            new ObjectKey("Widget.other.example.com", "apps-default", "w"));
    DesiredObject web =
        state.objects().get(new ObjectKey("Deployment.apps", "apps-default", "web"));
    assertThat(Trees.at(web.spec(), "metadata", "namespace")).isEqualTo("apps-default");
    assertThat(Trees.at(state.list().get(0).spec(), "metadata", "namespace")).isNull();
  }

  @Test
  void marksEveryObjectAsOwnedAndSecretsAsSecret() throws Exception {
    write("secret.yaml", Fixtures.text("secret-changed", "desired.yaml"));
    write("deploy.yaml", Fixtures.text("deployment-defaults", "desired.yaml"));

    DesiredState state = loader.load(repo, ".", REVISION);

    DesiredObject secret =
        state.objects().get(new ObjectKey("Secret", "shop", "mysql-credentials"));
    DesiredObject web = state.objects().get(new ObjectKey("Deployment.apps", "shop", "web"));
    assertThat(secret.secret()).isTrue();
    assertThat(web.secret()).isFalse();
    for (DesiredObject o : state.list()) {
      assertThat(Trees.at(o.spec(), "metadata", "labels", Labels.TARGET)).isEqualTo("shop");
      assertThat(Trees.at(o.spec(), "metadata", "annotations", Labels.COMMIT))
          .isEqualTo("c0ffee1234");
    }
    assertThat(Trees.at(web.spec(), "metadata", "labels", "app.kubernetes.io/part-of"))
        .isEqualTo("shop");
  }

  @Test
  void loadsEveryRecordedDesiredManifest() throws Exception {
    for (String name : Fixtures.cases()) {
      write(name + "/desired.yaml", Fixtures.text(name, "desired.yaml"));

      DesiredState state = loader.load(repo, name, REVISION);

      assertThat(state.list()).as(name).hasSize(1);
      assertThat(state.list().get(0).key().namespace()).as(name).isEqualTo("shop");
    }
  }

  @Test
  void rejectsTheSameObjectInTwoFilesNamingBoth() throws Exception {
    write(
        "a.yaml",
        "# first\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n");
    write("b/c.yaml", Fixtures.text("deployment-defaults", "desired.yaml"));

    assertThat(errors("."))
        .extracting(RenderError::toString)
        .containsExactly(
            "b/c.yaml:1: duplicate object Deployment.apps/shop/web, also declared at a.yaml:2");
  }

  @Test
  void collectsEveryErrorWithFileAndLine() throws Exception {
    write("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n");
    write("b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: 1, a: 2}\n");
    write("c.yaml", "kind: ConfigMap\nmetadata: {name: y}\n---\n- just a list\n");
    write("d.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: n, namespace: shop}\n");
    write("e.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {a: b}}\n");

    List<RenderError> errors = errors(".");

    assertThat(errors)
        .extracting(e -> e.location().toString())
        .containsExactly("a.yaml:5", "b.yaml:4", "c.yaml:1", "c.yaml:4", "d.yaml:1", "e.yaml:1");
    assertThat(errors.get(1).message()).contains("duplicate key a");
    assertThat(errors.get(2).message()).isEqualTo("apiVersion missing or not a string");
    assertThat(errors.get(4).message()).contains("cluster-scoped");
    assertThat(errors.get(5).message()).isEqualTo("ConfigMap has no metadata.name");
  }

  @Test
  void keepsUnquotedDatesAsStrings() throws Exception {
    write(
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata: {since: 2024-01-02}\n");

    DesiredObject cm = loader.load(repo, ".", REVISION).list().get(0);

    assertThat(Trees.at(cm.spec(), "data", "since")).isEqualTo("2024-01-02");
  }

  @Test
  void rejectsAnAliasBombQuickly() throws Exception {
    StringBuilder bomb =
        new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n");
    bomb.append("x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 9; i++) {
      bomb.append("x").append(i).append(": &a").append(i).append(" [");
      bomb.append(String.join(", ", java.util.Collections.nCopies(5, "*a" + (i - 1))))
          .append("]\n");
    }
    write("bomb.yaml", bomb.toString());
    write(
        "few.yaml",
        bomb.toString()
            .replace("(5", "(")
            .substring(0, bomb.indexOf("x3"))
            .replace("name: b", "name: few"));

    List<RenderError> errors = errors(".");

    assertThat(errors).extracting(e -> e.location().file()).containsExactly("bomb.yaml");
    assertThat(errors.get(0).message()).contains("values");
  }

  @Test
  void rejectsTooManyAliasesTooDeepNestingAndHugeFiles() throws Exception {
    String head = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: n}\n";
    write(
        "aliases.yaml",
        head
            + "a: &a [1]\nb: ["
            + String.join(", ", java.util.Collections.nCopies(60, "*a"))
            + "]\n");
    write("deep.yaml", head + "d: " + "[".repeat(150) + "]".repeat(150) + "\n");
    write("huge.yaml", head + "data: {x: '" + "x".repeat(4 * 1024 * 1024) + "'}\n");

    List<RenderError> errors = errors(".");

    assertThat(errors)
        .extracting(e -> e.location().file())
        .containsExactly("aliases.yaml", "deep.yaml", "huge.yaml");
    assertThat(errors.get(0).message()).contains("aliases");
    assertThat(errors.get(1).message()).containsIgnoringCase("nesting depth");
    assertThat(errors.get(2).message()).contains("larger than");
  }

  @Test
  void rejectsFoldersAndLinksOutsideTheRepository() throws Exception {
    Path outside = Files.createTempFile("tidemark-outside", ".yaml");
    try {
      Files.writeString(
          outside, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: secret-host-file}\n");
      Files.createDirectories(repo.resolve("k8s"));
      Files.createSymbolicLink(repo.resolve("k8s/link.yaml"), outside);

      assertThat(errors("../elsewhere"))
          .extracting(RenderError::message)
          .containsExactly("target folder is outside the repository");
      assertThat(errors("k8s"))
          .extracting(RenderError::toString)
          .containsExactly("k8s/link.yaml: links outside the repository");
      assertThat(errors("missing"))
          .extracting(RenderError::message)
          .containsExactly("target folder does not exist in this revision");
    } finally {
      Files.delete(outside);
    }
  }

  @Test
  void rendersAKustomizationWithKubectl() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        KubectlKustomize.findOnPath("kubectl", System.getenv("PATH")).isPresent(),
        "kubectl on PATH");
    write(
        "app/kustomization.yaml", "namePrefix: prod-\nnamespace: shop\nresources: [deploy.yaml]\n");
    write(
        "app/deploy.yaml",
        Fixtures.text("deployment-scaled", "desired.yaml").replace("  namespace: shop\n", ""));
    write("app/ignored-by-kustomize.yaml", "not: [valid");

    DesiredState state = loader.load(repo, ".", REVISION);

    assertThat(state.objects().keySet())
        .containsExactly(new ObjectKey("Deployment.apps", "shop", "prod-web"));
    assertThat(state.list().get(0).source().file()).isEqualTo("app/kustomization.yaml");
  }

  @Test
  void namesTheFolderWhenKubectlIsMissing() throws Exception {
    write("app/kustomization.yaml", "resources: []\n");
    KubernetesManifestLoader withoutKubectl =
        new KubernetesManifestLoader(
            "shop", "default", new KubectlKustomize(Optional.empty(), Duration.ofSeconds(5)));

    assertThatThrownBy(() -> withoutKubectl.load(repo, ".", REVISION))
        .isInstanceOfSatisfying(
            InvalidRevisionException.class,
            e ->
                assertThat(e.errors())
                    .extracting(RenderError::toString)
                    .containsExactly(
                        "app/kustomization.yaml: app holds a kustomization, but kubectl is not on PATH to render it"));
  }

  @Test
  void refusesATargetNameThatIsNoLabelValue() {
    assertThatThrownBy(() -> new KubernetesManifestLoader("no spaces", "default", f -> ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private List<RenderError> errors(String folder) {
    try {
      loader.load(repo, folder, REVISION);
    } catch (InvalidRevisionException e) {
      return e.errors();
    }
    throw new AssertionError("expected " + folder + " to be rejected");
  }

  private void write(String file, String content) throws IOException {
    Path path = repo.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, content);
  }
}
