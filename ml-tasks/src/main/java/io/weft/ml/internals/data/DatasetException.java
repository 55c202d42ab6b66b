package io.weft.ml.internals.data;

import io.weft.common.WeftException;
import java.nio.file.Path;

/** Data that cannot be read: the message names the file and, where there is one, the record. */
public class DatasetException extends WeftException {

  private static final long serialVersionUID = 1L;

  public DatasetException(Path file, String message) {
    super(file + ": " + message);
  }

  public DatasetException(Path file, long record, String message) {
    super(file + ", record " + record + ": " + message);
  }

  /** Data named by {@code what} (such as an artifact's URI) that cannot be read. */
  public DatasetException(String what, String message, Throwable cause) {
    super(what + ": " + message, cause);
  }

  public DatasetException(Path file, String message, Throwable cause) {
    super(file + ": " + message, cause);
  }
}
