package io.weft.benchmarks;

/**
 * Section 5, the extension point for the deep-learning overhead: the same MLP training called
 * directly and as a Weft {@code train} task (wall-time ratio, goal &lt;= 1.03), and the inference
 * service's v2 HTTP infer against a direct DJL {@code Predictor} at batch 1 and 32 (throughput
 * ratio, goal &gt;= 0.8, and p99). It reports "not run", naming what is missing, until the {@code
 * train} task type ({@value #TRAIN_CLASS}) and the inference service ({@value #SERVER_CLASS}) are
 * part of the build and the comparison is written here.
 */
final class DeepLearningOverhead implements Section {

  static final String NAME = "deep learning";
  static final String TRAIN_CLASS = "io.weft.workers.tasks.Train";
  static final String SERVER_CLASS = "io.weft.workers.serving.InferenceServer";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(BenchContext context) {
    String trainReason = missing(TRAIN_CLASS, "the train task type");
    String serveReason = missing(SERVER_CLASS, "the inference service");
    context
        .report()
        .add(
            Measure.notRun(
                NAME, "training wall time, Weft ÷ direct", Goal.ratioAtMost(1.03), trainReason));
    for (int batch : new int[] {1, 32}) {
      context
          .report()
          .add(
              Measure.notRun(
                  NAME,
                  "v2 infer throughput, Weft ÷ direct Predictor, batch " + batch,
                  Goal.ratioAtLeast(0.8),
                  serveReason));
      context.report().add(Measure.notRun(NAME, "v2 infer p99, batch " + batch, null, serveReason));
    }
  }

  private static String missing(String className, String what) {
    try {
      Class.forName(className, false, DeepLearningOverhead.class.getClassLoader());
      return what + " (" + className + ") is in the build, but its comparison is not written yet";
    } catch (ClassNotFoundException e) {
      return what + " (" + className + ") is not in the build yet";
    }
  }
}
