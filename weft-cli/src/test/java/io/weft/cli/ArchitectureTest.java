package io.weft.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Each module uses the others through their public API only. */
@AnalyzeClasses(packages = "io.weft", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule coreInternalsStayInCore =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.weft.core..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.weft.core.internals..")
          .because("other modules use the engine through io.weft.core.api");

  @ArchTest
  static final ArchRule workerInternalsStayInWorkers =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.weft.workers..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.weft.workers.internals..")
          .because("other modules use the worker runtime through io.weft.workers.api");

  @ArchTest
  static final ArchRule engineRunsWithoutTheEmbeddedBroker =
      noClasses()
          .that()
          .resideInAnyPackage("io.weft.core..", "io.weft.workers..", "io.weft.schemas..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.weft.embedded..", "kafka..", "scala..")
          .because("the broker and Scala belong only to the embedded mode and tests");

  @ArchTest
  static final ArchRule apiDoesNotLeakInternalsOfOtherModules =
      noClasses()
          .that()
          .resideInAPackage("io.weft.schemas..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.weft.core..", "io.weft.workers..", "io.weft.cli..")
          .because("schemas is the bottom layer");
}
