package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.weft.core.api.Retry;
import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.core.api.WorkflowYaml;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.models.ModelVersion;
import io.weft.testkit.WeftInstallation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The web UI in a real browser (Debian's headless Chromium through Selenium) against a whole Weft
 * on the real broker and registry: an MNIST run followed live, then the production alias moved from
 * the models page; pause, resume, cancel and retry from a run's page. Takes the screenshots of
 * {@code docs/} into {@code -Dweft.ui.screenshots=DIR} (default {@code target/ui-screenshots}).
 */
@ExtendWith(WeftStackExtension.class)
class WebUiIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> MNIST_TASKS =
      List.of("prepare", "train", "evaluate", "register", "promote");
  private static final Path SCREENSHOTS =
      Path.of(System.getProperty("weft.ui.screenshots", "target/ui-screenshots"));

  /**
   * Records, in the page, every change of the graph's task states and of the number of points of
   * the {@code train} task's chart, from any mutation of the page: what a user would have seen.
   */
  private static final String RECORDER =
      """
      window.__seen = { states: [], points: [] };
      const record = () => {
        const states = {};
        document.querySelectorAll('#dag g.node').forEach((g) => { states[g.dataset.task] = g.dataset.status; });
        const key = JSON.stringify(states);
        const seen = window.__seen;
        if (Object.keys(states).length && seen.states[seen.states.length - 1] !== key) seen.states.push(key);
        const chart = document.querySelector('.chart[data-task="train"]');
        const points = chart ? Number(chart.dataset.points) : 0;
        if (seen.points[seen.points.length - 1] !== points) seen.points.push(points);
      };
      new MutationObserver(record).observe(document.getElementById('page'),
          { subtree: true, childList: true, attributes: true });
      record();
      """;

  private WeftInstallation kit;
  private Browser browser;

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void shouldShowAnMnistRunLiveAndMoveTheProductionAliasFromTheModelsPage(WeftStack stack)
      throws Exception {
    // given: a Weft with the MNIST task types, and the UI open on the runs page
    kit = Mnist.installation(stack, "webui", Map.of("worker.concurrency", "2"));
    browser = Browser.start(kit.dir().resolve("browser"), 1400, 1000);
    WebDriver page = browser.driver();
    page.get(kit.queryUrl() + "/ui/");
    awaitText(By.id("runs"), "No runs yet");
    awaitText(By.id("live"), "live");
    browser.script(RECORDER);

    // when: a run starts
    String runId = kit.client().startRun("mnist", Mnist.params());

    // then: it appears in the list by itself, and its page shows it through to the end
    By row = By.cssSelector("tr[data-run-id='" + runId + "']");
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> !all(row).isEmpty());
    clickNow("tr[data-run-id='" + runId + "']");
    await()
        .atMost(Duration.ofMinutes(5))
        .ignoreExceptions()
        .until(() -> status(By.cssSelector("#run-head .badge")).equals("succeeded"));
    RunView run = kit.client().status(runId).orElseThrow();
    assertThat(run.status()).isEqualTo(RunView.Status.SUCCEEDED);

    // and the tasks turned green in their order, each while the next was still to come
    List<Map<String, String>> states = recorded("states");
    assertThat(states)
        .last()
        .satisfies(last -> assertThat(last.values()).containsOnly("SUCCEEDED"));
    for (Map<String, String> seen : states) {
      int green = (int) MNIST_TASKS.stream().filter(t -> "SUCCEEDED".equals(seen.get(t))).count();
      assertThat(MNIST_TASKS.subList(0, green))
          .as("the green tasks of %s are the first of the chain", seen)
          .allMatch(t -> "SUCCEEDED".equals(seen.get(t)));
    }
    assertThat(states)
        .as("the training was seen running after the preparation went green")
        .anyMatch(s -> s.get("prepare").equals("SUCCEEDED") && s.get("train").equals("RUNNING"));

    // and the loss curve gained its five points one epoch after another, not all at once
    List<Integer> points = recorded("points");
    assertThat(points).isSorted().last().isEqualTo(5);
    assertThat(points).as("points seen while training: %s", points).anyMatch(p -> p > 0 && p < 5);
    WebElement chart = page.findElement(By.cssSelector(".chart[data-task='train']"));
    assertThat(chart.getAttribute("data-series").split(",")).contains("loss", "validationAccuracy");
    assertThat(chart.getText()).contains("loss", "validationAccuracy");

    // and a task's details are one click away
    clickNow("#dag g.node[data-task='train']");
    awaitText(By.id("task-details"), "epochs");
    assertThat(page.findElement(By.id("task-details")).getText())
        .contains("train", "validationAccuracy", "#1 succeeded");
    // with its params as the attempt got them: references resolved from the run and upstream
    assertThat(page.findElement(By.id("task-params")).getText())
        .contains("\"epochs\": 5", "\"architecture\": \"mlp\"", "file:")
        .doesNotContain("${");
    page.manage().window().setSize(new Dimension(1400, 1250));
    browser.screenshot(SCREENSHOTS.resolve("ui-run.png"));
    page.manage().window().setSize(new Dimension(1400, 900));

    // when: the models page is opened
    page.findElement(By.cssSelector("header a[data-nav='models']")).click();
    int version = run.tasks().get("register").outputs().get("version").asInt();

    // then: the version the run registered is production
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> !all(productionRow(version)).isEmpty());

    // when: a second version appears and is promoted from the page
    ModelVersion first = kit.client().modelVersions("mnist").get(version - 1);
    ModelVersion second =
        kit.client()
            .registerModel(
                "mnist",
                first.getArtifact(),
                Map.of("accuracy", 0.5),
                first.getProperties(),
                null,
                null);
    By promote =
        By.cssSelector(
            "[data-model='mnist'] tr[data-version='" + second.getVersion() + "'] button.promote");
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> !all(promote).isEmpty());
    clickNow("[data-model='mnist'] tr[data-version='" + second.getVersion() + "'] button.promote");

    // then: the alias moves, in the page and in the registry
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> !all(productionRow(second.getVersion())).isEmpty());
    assertThat(kit.client().production("mnist").orElseThrow().getVersion())
        .isEqualTo(second.getVersion());
    browser.screenshot(SCREENSHOTS.resolve("ui-models.png"));

    // when: production is rolled back from the page
    clickNow("button.rollback[data-model='mnist']");

    // then: it is the first version again
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> !all(productionRow(version)).isEmpty());
    assertThat(kit.client().production("mnist").orElseThrow().getVersion()).isEqualTo(version);

    // and the workers page lists the task types with their workers
    page.findElement(By.cssSelector("header a[data-nav='workers']")).click();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                page.findElement(By.cssSelector("tr[data-type='train'] td.workers"))
                    .getText()
                    .equals("1"));
    assertThat(page.findElement(By.id("dead-letters")).getText()).startsWith("0 records");
    assertThat(browser.console(Level.WARNING)).as("the browser console").isEmpty();
  }

  @Test
  void shouldShowATuningRunAsOneCurvePerTrialWithTheSelectedOneMarked(WeftStack stack)
      throws Exception {
    // given: a tuning run of four trainings, finished
    kit =
        WeftInstallation.forTests(stack, "webui-tune")
            .withHandlers(new TestHandlers())
            .startCoordinator();
    kit.startWorker(
        Map.of("worker.concurrency", "2"),
        "prepare-data",
        "train",
        "select-best",
        "evaluate",
        "register-model",
        "promote-model");
    kit.client().register(WorkflowYaml.read(Mnist.ROOT.resolve("examples/mnist-tune.yaml")));
    Map<String, Object> params = new HashMap<>(Mnist.params());
    params.put("epochs", 2);
    String runId = kit.client().startRun("mnist-tune", params);
    RunView run = kit.client().awaitCompletion(runId, Duration.ofMinutes(10));
    assertThat(run.status()).as(String.valueOf(run.error())).isEqualTo(RunView.Status.SUCCEEDED);
    String best = run.tasks().get("best").outputs().get("best").asText();

    // when: its page is opened
    browser = Browser.start(kit.dir().resolve("browser"), 1400, 1000);
    WebDriver page = browser.driver();
    page.get(kit.queryUrl() + "/ui/#/runs/" + runId);

    // then: the fan-out is one node with a chip per child, and one chart of a line per trial,
    // the selected one marked
    By chart = By.cssSelector(".chart[data-task='train']");
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> !all(chart).isEmpty());
    assertThat(all(By.cssSelector("#dag g.node[data-task='train'] rect.child")))
        .extracting(chip -> chip.getAttribute("data-status"))
        .containsExactly("SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED");
    WebElement curves = page.findElement(chart);
    assertThat(curves.getAttribute("data-points")).isEqualTo("2");
    assertThat(curves.getAttribute("data-selected")).isEqualTo(best);
    List<String> series = List.of(curves.getAttribute("data-series").split(","));
    assertThat(series).hasSize(4).contains("★ " + best + " (selected)");
    assertThat(series.stream().filter(s -> s.startsWith("★"))).hasSize(1);

    // and a child's details are one click away
    clickNow("#dag rect.child[data-task='" + best + "']");
    awaitText(By.id("task-details"), "Task " + best);
    int index = Integer.parseInt(best.substring(best.indexOf('[') + 1, best.length() - 1));
    JsonNode trial =
        new YAMLMapper()
            .readTree(Mnist.ROOT.resolve("examples/mnist-tune.yaml").toFile())
            .path("params")
            .path("grid")
            .get(index);
    assertThat(page.findElement(By.id("task-params")).getText())
        .as("the trial's own item of the grid, and the run's epochs")
        .contains(
            "\"learningRate\": " + trial.path("learningRate").asText(),
            "\"epochs\": 2",
            "\"hidden\": [\n    " + trial.path("hidden").get(0).asText())
        .doesNotContain("${");
    assertThat(browser.console(Level.WARNING)).as("the browser console").isEmpty();
  }

  @Test
  void shouldPauseResumeAndCancelARunningRunAndRetryAFailedOneFromTheirPages(WeftStack stack)
      throws Exception {
    // given: a run whose task hangs, and one whose task fails, each open in the browser
    kit =
        WeftInstallation.forTests(stack, "webui-actions")
            .withHandlers(new TestHandlers())
            .startCoordinator();
    kit.startWorker(Map.of(), "hang", "failing");
    kit.client()
        .register(
            WorkflowDefinition.builder("hangs", 1)
                .task(TaskDefinition.builder("wait", "hang").timeout(Duration.ofMinutes(5)))
                .build());
    kit.client()
        .register(
            WorkflowDefinition.builder("fails", 1)
                .task(
                    TaskDefinition.builder("boom", "failing")
                        .retry(new Retry(1, Duration.ofMillis(100), 1.0, Duration.ofMillis(100))))
                .build());
    browser = Browser.start(kit.dir().resolve("browser"), 1400, 1000);
    WebDriver page = browser.driver();
    String hanging = kit.client().startRun("hangs", Map.of());
    page.get(kit.queryUrl() + "/ui/#/runs/" + hanging);
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> nodeStatus("wait").equals("RUNNING"));

    // when: Pause is pressed, then Resume
    clickNow("#pause");

    // then: the page shows the run paused, and the coordinator has it so
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> status(By.cssSelector("#run-head .badge.PAUSED")).equals("paused"));
    assertThat(kit.client().status(hanging).orElseThrow().paused()).isTrue();
    clickNow("#resume");
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> page.findElement(By.id("pause")).isEnabled());
    assertThat(kit.client().status(hanging).orElseThrow().paused()).isFalse();

    // when: Cancel is pressed
    clickNow("#cancel");

    // then: the run is cancelled, and the page shows it
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> status(By.cssSelector("#run-head .badge")).equals("cancelled"));
    assertThat(kit.client().status(hanging).orElseThrow().status())
        .isEqualTo(RunView.Status.CANCELLED);
    assertThat(page.findElement(By.id("retry")).isEnabled()).isFalse();

    // when: a failed run's page is opened and Retry pressed
    String failing = kit.client().startRun("fails", Map.of());
    kit.client().awaitCompletion(failing, Duration.ofSeconds(60));
    page.get(kit.queryUrl() + "/ui/#/runs/" + failing);
    awaitText(By.id("run-head"), "always fails");
    assertThat(page.findElement(By.id("cancel")).isEnabled()).isFalse();
    clickNow("#retry");

    // then: the task runs a second attempt (which fails too), shown on the timeline
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> !all(By.cssSelector("#gantt .bar[data-attempt='2']")).isEmpty());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> kit.client().status(failing).orElseThrow().tasks().get("boom").attempt() == 2);
    assertThat(browser.console(Level.WARNING)).as("the browser console").isEmpty();
  }

  private By productionRow(int version) {
    return By.cssSelector("[data-model='mnist'] tr.production[data-version='" + version + "']");
  }

  private List<WebElement> all(By by) {
    return browser.driver().findElements(by);
  }

  /**
   * Clicks the element {@code selector} matches now, in one step of the page's own thread: the
   * pages re-render live as events arrive, so an element found in one WebDriver call may be
   * replaced by the next (a stale element); a person's click lands on what is on the screen.
   */
  private void clickNow(String selector) {
    Object clicked =
        ((JavascriptExecutor) browser.driver())
            .executeScript(
                "const e = document.querySelector(arguments[0]);"
                    + " if (!e) return false;"
                    + " if (typeof e.click === 'function') e.click();"
                    + " else e.dispatchEvent(new MouseEvent('click',"
                    + " {bubbles: true, cancelable: true, view: window}));"
                    + " return true;",
                selector);
    assertThat(clicked).as("an element matches %s", selector).isEqualTo(Boolean.TRUE);
  }

  private String status(By badge) {
    return browser.driver().findElement(badge).getText().trim();
  }

  private String nodeStatus(String task) {
    return browser
        .driver()
        .findElement(By.cssSelector("#dag g.node[data-task='" + task + "']"))
        .getAttribute("data-status");
  }

  private void awaitText(By by, String text) {
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> browser.driver().findElement(by).getText().contains(text));
  }

  @SuppressWarnings("unchecked")
  private <T> List<T> recorded(String what) throws Exception {
    List<Object> raw = (List<Object>) browser.script("return window.__seen." + what + ";");
    List<T> values = new ArrayList<>();
    for (Object each : raw) {
      if (each instanceof String text) {
        JsonNode node = JSON.readTree(text);
        values.add((T) JSON.convertValue(node, Map.class));
      } else {
        values.add((T) Integer.valueOf(((Number) each).intValue()));
      }
    }
    return values;
  }
}
