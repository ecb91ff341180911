package sim.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import sim.cli.Main;

/**
 * The HTML diagram of real runs, in a real headless Chromium: it loads with no console error, draws a lane
 * per node and an arrow per delivery or drop (counted from the run's own JSONL trace), and a click on an
 * event's row shows that event's details and its node's state.
 */
class DiagramInBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static HeadlessChromium chromium;
  @TempDir static Path dir;

  @BeforeAll
  static void startBrowser() {
    chromium = HeadlessChromium.start();
  }

  @AfterAll
  static void stopBrowser() {
    if (chromium != null) chromium.close();
  }

  /** Runs {@code ./sim run ARGS --trace T --html H --quiet} in this JVM; returns the trace's lines. */
  static List<JsonNode> run(Path html, Path trace, String... args) throws IOException {
    runOnly(html, trace, args);
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(trace)) lines.add(JSON.readTree(l));
    return lines;
  }

  /** The trace's footer line ({@code "events": N, "trace_hash": …}) of {@code ./sim run ARGS --trace T --html H}. */
  static JsonNode runFooter(Path html, Path trace, String... args) throws IOException {
    runOnly(html, trace, args);
    String last = null;
    try (var lines = Files.lines(trace)) {
      for (var it = lines.iterator(); it.hasNext(); ) last = it.next();
    }
    JsonNode footer = JSON.readTree(last);
    assertEquals("footer", footer.path("type").asText(), "the trace ends with its footer: " + last);
    return footer;
  }

  private static void runOnly(Path html, Path trace, String... args) {
    List<String> argv = new ArrayList<>(List.of("run"));
    argv.addAll(List.of(args));
    argv.addAll(List.of("--trace", trace.toString(), "--html", html.toString(), "--quiet"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Main.execute(argv.toArray(String[]::new), System.in, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(out, true, StandardCharsets.UTF_8));
    assertTrue(Files.exists(html), "no diagram written: " + out);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> open(Path html) {
    chromium.driver.get(html.toUri().toString());
    chromium.await("the diagram to load", d -> chromium.js("return !!window.simDiagram && window.simDiagram.lastFrame.rows > 0"));
    return (Map<String, Object>) chromium.js("return window.simDiagram.stats()");
  }

  @Test
  void failoverDiagramShowsEveryLaneAndArrowAndAClickShowsTheEvent() throws IOException {
    Path html = dir.resolve("failover.html");
    List<JsonNode> trace = run(html, dir.resolve("failover.jsonl"), "kafka.failover-leader-crash", "--seed", "1");
    JsonNode header = trace.get(0);
    List<JsonNode> events = trace.stream().filter(l -> l.get("type").asText().equals("event")).toList();
    long arrows = events.stream().filter(e -> e.get("kind").asText().equals("deliver") || e.get("kind").asText().equals("drop")).count();
    List<String> nodes = new ArrayList<>();
    header.get("nodes").forEach(n -> nodes.add(n.asText()));

    Map<String, Object> stats = open(html);
    assertEquals(List.of(), chromium.consoleErrors(), "console errors on load");
    assertEquals(nodes, stats.get("lanes"), "a lane per node of the trace header");
    assertEquals(arrows, ((Number) stats.get("arrows")).longValue(), "an arrow per deliver or drop in the JSONL trace");
    assertEquals((long) events.size(), ((Number) stats.get("events")).longValue());

    // Click the first leader append's row, as a person would.
    JsonNode append = events.stream().filter(e -> e.get("kind").asText().equals("kafka.leader.append")).findFirst().orElseThrow();
    long index = append.get("i").asLong();
    chromium.js("const d = window.simDiagram; d.rowH = 18; d.select(-1); d.scrollTo(d.rowAtOrAfter(d.trace.positionOf(arguments[0])) - 10);", index);
    chromium.await("the row to be drawn", d -> chromium.js("return window.simDiagram.eventPoint(arguments[0]) !== null", index));
    @SuppressWarnings("unchecked")
    Map<String, Object> at = (Map<String, Object>) chromium.js("return window.simDiagram.eventPoint(arguments[0])", index);
    WebElement canvas = chromium.driver.findElement(By.id("diagram"));
    int x = ((Number) at.get("x")).intValue() - canvas.getSize().getWidth() / 2;
    int y = ((Number) at.get("y")).intValue() - canvas.getSize().getHeight() / 2;
    new Actions(chromium.driver).moveToElement(canvas, x, y).click().perform();
    WebElement detail = chromium.await("the event's details", d -> d.findElement(By.id("event-detail")));
    assertEquals(append.get("detail").asText(), detail.getText());
    String state = chromium.driver.findElement(By.id("event-state")).getText();
    assertTrue(state.startsWith("[up]") && state.contains("orders-0"), "the leader's state after the append: " + state);
    assertTrue(chromium.driver.findElement(By.id("details")).getText().contains("#" + index + " kafka.leader.append"));
    assertEquals(List.of(), chromium.consoleErrors(), "console errors after the click");
    chromium.screenshot("diagram-failover");
  }

  @Test
  void linearizabilityCounterexampleAndFailedChecksAreMarked() throws IOException {
    Path html = dir.resolve("lin.html");
    List<JsonNode> trace = run(html, dir.resolve("lin.jsonl"), "example.register", "--seed", "2", "--faults", "at 1s crash primary",
        "--break", "example.ack-before-fsync");
    JsonNode lin = trace.stream().filter(l -> l.path("kind").asText().equals("check") && l.path("attrs").path("check").asText().equals("linearizable"))
        .findFirst().orElseThrow();
    assertEquals("FAILED", lin.path("attrs").path("status").asText(), "this run's reads are not linearizable: " + lin);
    long ops = lin.get("detail").asText().lines().filter(l -> l.strip().startsWith("#")).count();
    open(html);
    assertEquals(List.of(), chromium.consoleErrors());
    Object parsed = chromium.js("return window.simDiagram.trace.counterexamples.map(c => c.ops.length)");
    assertEquals(List.of(ops), parsed, "the counterexample's operations are marked on the diagram");
    String checks = chromium.driver.findElement(By.id("checks")).getText();
    assertTrue(checks.contains("FAILED linearizable") && checks.contains("FAILED acked-writes-survive"), checks);
  }

  @Test
  void aHundredThousandEventsDrawOnlyWhatIsOnScreen() throws IOException {
    Path html = dir.resolve("big.html");
    long events = runFooter(html, dir.resolve("big.jsonl"), "redis.crash-appendfsync-everysec", "--for", "90s").path("events").asLong();
    assertTrue(events >= 100_000, "a run of at least 100k events: " + events);
    Map<String, Object> stats = open(html);
    assertEquals(events, ((Number) stats.get("events")).longValue());
    long pageRows = ((Number) chromium.js("return window.simDiagram.pageRows()")).longValue();
    assertTrue(((Number) stats.get("drawnRows")).longValue() <= pageRows + 1, "virtualised: only the rows on screen are drawn " + stats);
    chromium.js("window.simDiagram.zoom(0.1); window.simDiagram.scrollTo(1e9)");
    chromium.await("the last rows to be drawn", d -> chromium.js(
        "const d = window.simDiagram; return d.lastFrame.rows > 0 && d.scrollRow + d.pageRows() >= d.visible.length"));
    assertEquals(List.of(), chromium.consoleErrors());
  }
}
