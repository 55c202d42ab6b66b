package io.weft.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The modules' layering, checked on their main classes: each module uses the others through their
 * public API only, the worker runtime knows nothing of deep learning, and nothing but the embedded
 * mode and the test kit needs the broker.
 */
@AnalyzeClasses(packages = "io.weft", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule coreInternalsStayInCore = internalsStayIn("core", "io.weft.core.api");

  @ArchTest
  static final ArchRule workerInternalsStayInWorkers =
      internalsStayIn("workers", "io.weft.workers.api");

  @ArchTest
  static final ArchRule mlInternalsStayInMl =
      internalsStayIn("ml", "io.weft.ml.api and the task types of io.weft.ml.tasks");

  @ArchTest
  static final ArchRule servingInternalsStayInServing =
      internalsStayIn("serving", "io.weft.serving.InferenceServer");

  @ArchTest
  static final ArchRule workerRuntimeKnowsNoDeepLearning =
      noClasses()
          .that()
          .resideInAPackage("io.weft.workers..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.weft.ml..", "io.weft.serving..", "ai.djl..")
          .because(
              "a handler project depends on the worker runtime alone and gets no DJL or PyTorch");

  @ArchTest
  static final ArchRule coreKnowsNoWorkers =
      noClasses()
          .that()
          .resideInAPackage("io.weft.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.weft.workers..", "io.weft.ml..", "io.weft.serving..", "io.weft.testkit..")
          .because("pipeline-core is the engine every other module builds on");

  @ArchTest
  static final ArchRule engineRunsWithoutTheEmbeddedBroker =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.weft.core..",
              "io.weft.workers..",
              "io.weft.ml..",
              "io.weft.serving..",
              "io.weft.schemas..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.weft.embedded..", "io.weft.testkit..", "kafka..", "scala..")
          .because("the broker and Scala belong only to the embedded mode, the test kit and tests");

  @ArchTest
  static final ArchRule schemasAreTheBottomLayer =
      noClasses()
          .that()
          .resideInAPackage("io.weft.schemas..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.weft.core..",
              "io.weft.workers..",
              "io.weft.ml..",
              "io.weft.serving..",
              "io.weft.cli..")
          .because("schemas is the bottom layer");

  private static ArchRule internalsStayIn(String module, String api) {
    String root = "io.weft." + module;
    return noClasses()
        .that()
        .resideOutsideOfPackages(root + "..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(root + ".internals..")
        .because("other modules use " + root + " through " + api);
  }
}
