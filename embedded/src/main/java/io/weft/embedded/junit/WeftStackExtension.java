package io.weft.embedded.junit;

import io.weft.embedded.Directories;
import io.weft.embedded.WeftStack;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands integration tests a running {@link WeftStack}: a real broker and schema registry, started
 * once per test JVM and shared by every test class that uses the extension, stopped when the test
 * run ends (or by the stack's shutdown hook if the JVM is interrupted).
 *
 * <pre>{@code
 * @ExtendWith(WeftStackExtension.class)
 * class MyIT {
 *   @Test
 *   void shouldDoSomething(WeftStack stack) { ... stack.bootstrapServers() ... }
 * }
 * }</pre>
 *
 * <p>Its files live under the {@code weft.test.dir} system property (the build sets it to {@code
 * target/weft-test}); the registry's distribution is unpacked under {@code weft.registry.home}, by
 * default beside them.
 */
public final class WeftStackExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(WeftStackExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    stack(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == WeftStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return stack(context);
  }

  /** The shared stack, started on first use. */
  public static WeftStack stack(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(WeftStack.class, key -> startStack(), WeftStack.class);
  }

  private static WeftStack startStack() {
    Path testDir = Path.of(System.getProperty("weft.test.dir", "target/weft-test"));
    Path workDir = testDir.resolve("stack");
    Path distributionHome =
        Path.of(System.getProperty("weft.registry.home", testDir.resolve("dist").toString()));
    Directories.deleteRecursively(workDir);
    return WeftStack.start(workDir, distributionHome);
  }
}
