package io.tidemark.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Third-party types stop at their adapter, and the core stays pure (STYLE.md, habit 2 and 5). */
class BoundariesTest {

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tidemark");
  }

  @Test
  void onlyTheSourcePackageTouchesJGit() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.tidemark.source..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.eclipse.jgit..")
        .check(main);
  }

  @Test
  void onlyTheSwarmTargetTouchesDockerJava() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.tidemark.cluster.swarm..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.github.dockerjava..")
        .check(main);
  }

  @Test
  void onlyTheKubernetesTargetTouchesFabric8() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.tidemark.cluster.kubernetes..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.fabric8..")
        .check(main);
  }

  @Test
  void onlyTheHelmPackageTouchesHelmJava() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.tidemark.cluster.kubernetes.helm..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.marcnuri..")
        .check(main);
  }

  @Test
  void theCoreDoesNoIoAndKnowsNoFramework() {
    noClasses()
        .that()
        .resideInAnyPackage("io.tidemark.model..", "io.tidemark.diff..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "jakarta..",
            "io.quarkus..",
            "java.nio.file..",
            "java.net..",
            "io.tidemark.cluster..",
            "io.tidemark.source..",
            "io.tidemark.reconcile..",
            "io.tidemark.api..")
        .check(main);
  }

  @Test
  void nothingBelowReconcileKnowsAboutHttpOrScheduling() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.tidemark.reconcile..",
            "io.tidemark.cluster..",
            "io.tidemark.source..",
            "io.tidemark.desired..",
            "io.tidemark.diff..",
            "io.tidemark.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.tidemark.api..", "jakarta.ws.rs..")
        .check(main);
  }
}
