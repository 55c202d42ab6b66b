package io.weft.ml.internals.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads labelled examples from CSV: one example per line, a label column and feature columns. A
 * first line that is not numeric is a header; the label column is named there, or given by index.
 */
public final class CsvReader {

  private CsvReader() {}

  /**
   * @param labelColumn the label column's header name, or its 0-based index as text
   */
  public static LabeledData read(Path file, String labelColumn, int classes) {
    if (!Files.isRegularFile(file)) {
      throw new DatasetException(file, "no such file");
    }
    List<float[]> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    int width = -1;
    int labelIndex = -1;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      long lineNumber = 0;
      while ((line = in.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",", -1);
        if (labelIndex < 0) {
          labelIndex = labelIndex(file, cells, labelColumn);
          if (!isNumeric(cells[0].trim())) {
            continue; // the header
          }
        }
        if (width < 0) {
          width = cells.length - 1;
        } else if (cells.length - 1 != width) {
          throw new DatasetException(
              file,
              lineNumber,
              "ragged row: " + cells.length + " columns, expected " + (width + 1));
        }
        float[] row = new float[width];
        int column = 0;
        for (int c = 0; c < cells.length; c++) {
          String cell = cells[c].trim();
          if (c == labelIndex) {
            labels.add(label(file, lineNumber, cell, classes));
          } else {
            row[column++] = number(file, lineNumber, c, cell);
          }
        }
        rows.add(row);
      }
    } catch (IOException e) {
      throw new DatasetException(file, "cannot read: " + e.getMessage(), e);
    }
    if (rows.isEmpty()) {
      throw new DatasetException(file, "no examples");
    }
    float[] features = new float[rows.size() * width];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, features, i * width, width);
    }
    return new LabeledData(
        features, labels.stream().mapToInt(Integer::intValue).toArray(), width, classes);
  }

  private static int labelIndex(Path file, String[] header, String labelColumn) {
    if (labelColumn.chars().allMatch(Character::isDigit) && !labelColumn.isEmpty()) {
      int index = Integer.parseInt(labelColumn);
      if (index >= header.length) {
        throw new DatasetException(
            file,
            "label column " + index + " does not exist: rows have " + header.length + " columns");
      }
      return index;
    }
    for (int i = 0; i < header.length; i++) {
      if (header[i].trim().equals(labelColumn)) {
        return i;
      }
    }
    throw new DatasetException(file, "no column named '" + labelColumn + "' in the header");
  }

  private static int label(Path file, long line, String cell, int classes) {
    try {
      int label = Integer.parseInt(cell);
      if (label < 0 || label >= classes) {
        throw new DatasetException(
            file, line, "label " + label + " is out of range 0.." + (classes - 1));
      }
      return label;
    } catch (NumberFormatException e) {
      throw new DatasetException(file, line, "label '" + cell + "' is not a whole number");
    }
  }

  private static float number(Path file, long line, int column, String cell) {
    try {
      return Float.parseFloat(cell);
    } catch (NumberFormatException e) {
      throw new DatasetException(
          file, line, "column " + column + ": '" + cell + "' is not a number");
    }
  }

  private static boolean isNumeric(String cell) {
    try {
      Float.parseFloat(cell);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
