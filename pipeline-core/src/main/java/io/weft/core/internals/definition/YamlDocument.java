package io.weft.core.internals.definition;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.weft.core.api.DefinitionProblem;
import io.weft.core.api.InvalidDefinitionException;
import io.weft.core.api.WorkflowYaml;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The YAML tree of one definition document, read within the limits {@link WorkflowYaml} names, so
 * that a stranger's document costs bounded time and memory and every refusal is an {@link
 * InvalidDefinitionException} that says what and where.
 *
 * <p>The size is checked before anything is parsed. The parser's own limits do the rest where it
 * has them: SnakeYAML's code point limit, Jackson's nesting depth and number length, and Jackson's
 * duplicate key detection. Two checks are ours, as the parser has none that applies: Jackson's YAML
 * parser neither expands aliases (it reads {@code *x} as the string {@code "x"}, so SnakeYAML's
 * alias limit never comes into play and an alias would silently change a value) nor applies its
 * string length limit, so aliases are refused and scalars measured as they are read.
 */
public final class YamlDocument {

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .loaderOptions(loaderOptions())
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxNestingDepth(WorkflowYaml.MAX_NESTING_DEPTH)
                      .build())
              .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              .build());

  private YamlDocument() {}

  /**
   * The tree of {@code yaml}: null when it holds no document.
   *
   * @throws InvalidDefinitionException if it is too large, not YAML, holds more than one document,
   *     or passes a limit
   */
  public static JsonNode tree(String yaml, String source) {
    long bytes = utf8Length(yaml);
    if (bytes > WorkflowYaml.MAX_DOCUMENT_BYTES) {
      throw tooLarge(bytes, source);
    }
    try (JsonParser parser = new LimitedParser((YAMLParser) YAML.createParser(yaml))) {
      return tree(parser, source);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read workflow definition " + source, e);
    }
  }

  private static JsonNode tree(JsonParser parser, String source) throws IOException {
    try {
      JsonNode root = YAML.readTree(parser);
      if (root != null && parser.nextToken() != null) {
        throw refusal(
            source,
            "a second YAML document begins"
                + where(parser.currentTokenLocation())
                + "; a definition is one document");
      }
      return root;
    } catch (Refused e) {
      throw refusal(source, e.getOriginalMessage());
    } catch (StreamConstraintsException e) {
      JsonLocation at = e.getLocation() != null ? e.getLocation() : parser.currentTokenLocation();
      String message = e.getOriginalMessage().replaceAll(", from `[^`]*`", "");
      throw refusal(source, "over a limit" + where(at) + ": " + message);
    } catch (JsonProcessingException e) {
      throw refusal(
          source, "not valid YAML" + where(e.getLocation()) + ": " + e.getOriginalMessage());
    }
  }

  /**
   * The text of a definition file, read only up to the size limit.
   *
   * @throws InvalidDefinitionException if it is larger than the limit or not UTF-8
   * @throws UncheckedIOException if it cannot be read
   */
  public static String read(Path file) {
    String source = file.toString();
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(WorkflowYaml.MAX_DOCUMENT_BYTES + 1);
      if (bytes.length > WorkflowYaml.MAX_DOCUMENT_BYTES) {
        throw tooLarge(Math.max(bytes.length, Files.size(file)), source);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read workflow definition " + file, e);
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw refusal(source, "not valid UTF-8 at byte " + in.position() + " of " + bytes.length);
    }
    return out.flip().toString();
  }

  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(WorkflowYaml.MAX_DOCUMENT_BYTES);
    return options;
  }

  private static InvalidDefinitionException tooLarge(long bytes, String source) {
    return refusal(
        source,
        "the document is "
            + bytes
            + " bytes, more than the limit of "
            + WorkflowYaml.MAX_DOCUMENT_BYTES
            + " bytes");
  }

  private static InvalidDefinitionException refusal(String source, String message) {
    return new InvalidDefinitionException(
        "in " + source, List.of(new DefinitionProblem("workflow", message)));
  }

  private static String where(JsonLocation at) {
    return at == null || at.getLineNr() < 1
        ? ""
        : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  /** The bytes {@code text} takes in UTF-8, without encoding it. */
  static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** One of our limits was passed; the message says which and where. */
  private static final class Refused extends JsonProcessingException {

    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /**
   * Refuses aliases and long scalars as the tree is read. {@link JsonParserDelegate} hands {@link
   * #nextValue()} to the delegate, so it is taken back here; the other ways to the next token
   * ({@code nextFieldName()}, {@code nextTextValue()}) are {@link JsonParser}'s, through {@link
   * #nextToken()}.
   */
  private static final class LimitedParser extends JsonParserDelegate {

    private final YAMLParser yaml;

    LimitedParser(YAMLParser yaml) {
      super(yaml);
      this.yaml = yaml;
    }

    @Override
    public JsonToken nextToken() throws IOException {
      JsonToken token = yaml.nextToken();
      if (yaml.isCurrentAlias()) {
        throw new Refused(
            "alias *"
                + yaml.getText()
                + where(yaml.currentTokenLocation())
                + ": aliases are not supported; write the value out");
      }
      if ((token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME)
          && yaml.getTextLength() > WorkflowYaml.MAX_SCALAR_CHARS) {
        throw new Refused(
            "a scalar of "
                + yaml.getTextLength()
                + " characters"
                + where(yaml.currentTokenLocation())
                + " is longer than the limit of "
                + WorkflowYaml.MAX_SCALAR_CHARS);
      }
      return token;
    }

    @Override
    public JsonToken nextValue() throws IOException {
      JsonToken token = nextToken();
      return token == JsonToken.FIELD_NAME ? nextToken() : token;
    }
  }
}
