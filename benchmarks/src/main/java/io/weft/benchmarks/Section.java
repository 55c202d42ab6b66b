package io.weft.benchmarks;

/** One part of the benchmark: measures something and adds its figures to the report. */
interface Section {

  /** Short name, the first column of the table. */
  String name();

  /**
   * Measures and adds the figures to {@code context.report()}. Throwing marks the section's figures
   * as not run with the error as the reason; the other sections still run.
   */
  void run(BenchContext context) throws Exception;
}
