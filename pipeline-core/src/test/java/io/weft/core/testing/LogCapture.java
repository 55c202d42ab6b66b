package io.weft.core.testing;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything logged while it runs, at every level, from Weft's classes and anything else logging to
 * the root logger, as text (messages and stack traces): for tests that assert what a log holds, or
 * does not. {@link #stop()} puts the levels back.
 */
public final class LogCapture {

  private final StringWriter out = new StringWriter();
  private WriterAppender appender;
  private Level rootLevel;
  private Level weftLevel;

  /** Starts capturing. */
  public void start() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    PatternLayout layout =
        PatternLayout.newBuilder()
            .withConfiguration(config)
            .withPattern("%-5level [%t] %c - %msg%n%throwable")
            .build();
    appender = WriterAppender.createAppender(layout, null, out, "capture", false, true);
    appender.start();
    config.addAppender(appender);
    LoggerConfig root = config.getRootLogger();
    rootLevel = root.getLevel();
    root.addAppender(appender, Level.ALL, null);
    root.setLevel(Level.ALL);
    LoggerConfig weft = config.getLoggerConfig("io.weft");
    weftLevel = weft.getLevel();
    weft.setLevel(Level.ALL);
    context.updateLoggers();
  }

  /** What was logged so far. */
  public String text() {
    return out.toString();
  }

  /** Stops capturing and puts the levels back. */
  public void stop() {
    if (appender == null) {
      return;
    }
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    config.getLoggerConfig("io.weft").setLevel(weftLevel);
    LoggerConfig root = config.getRootLogger();
    root.removeAppender(appender.getName());
    root.setLevel(rootLevel);
    context.updateLoggers();
    appender.stop();
    appender = null;
  }
}
