package io.weft.ml.internals.dl;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one training epoch went.
 *
 * @param epoch the epoch just finished, from 1
 * @param loss mean training loss over the epoch
 * @param trainAccuracy training accuracy over the epoch
 * @param validationLoss mean validation loss after the epoch, NaN without validation data
 * @param validationAccuracy validation accuracy after the epoch, NaN without validation data
 * @param samplesPerSecond training examples per second of the epoch's training pass
 */
public record EpochMetrics(
    int epoch,
    double loss,
    double trainAccuracy,
    double validationLoss,
    double validationAccuracy,
    double samplesPerSecond) {

  /** The metrics by name (NaN values left out), as progress reports and outputs carry them. */
  public Map<String, Double> toMap() {
    Map<String, Double> map = new LinkedHashMap<>();
    map.put("epoch", (double) epoch);
    map.put("loss", loss);
    map.put("trainAccuracy", trainAccuracy);
    if (!Double.isNaN(validationLoss)) {
      map.put("validationLoss", validationLoss);
      map.put("validationAccuracy", validationAccuracy);
    }
    map.put("samplesPerSecond", samplesPerSecond);
    return map;
  }

  /** One human-readable line, e.g. for a progress bar. */
  public String summary(int epochs) {
    String validation =
        Double.isNaN(validationAccuracy)
            ? ""
            : String.format(", validation accuracy %.4f", validationAccuracy);
    return String.format(
        "epoch %d/%d: loss %.4f, accuracy %.4f%s, %.0f samples/s",
        epoch, epochs, loss, trainAccuracy, validation, samplesPerSecond);
  }
}
