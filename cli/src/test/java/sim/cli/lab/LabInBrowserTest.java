package sim.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import sim.cli.Main;
import sim.core.scenario.ScenarioRegistry;
import sim.lab.server.LabServer;

/**
 * The live lab in a real headless Chromium, as a learner uses it: start kafka.failover-leader-crash, run to
 * the leader's first append, crash that leader by clicking its lane, run until the controller elects a new
 * leader and see the controller's state change, rewind to before the crash and see the old state again, then
 * run to the end and replay the recorded plan with ./sim run: the trace hash is the lab's.
 */
class LabInBrowserTest {
  private static final Pattern LEADER = Pattern.compile("orders-0\\{leader (\\S+) epoch (\\d+)");
  private static HeadlessChromium chromium;
  private static LabServer server;

  @BeforeAll
  static void start() throws IOException {
    chromium = HeadlessChromium.start();
    server = LabServer.start(0, ScenarioRegistry.load());
  }

  @AfterAll
  static void stop() {
    if (chromium != null) chromium.close();
    if (server != null) server.close();
  }

  private Object js(String script, Object... args) {
    return chromium.js(script, args);
  }

  private long events() {
    return ((Number) js("return window.simLab.view ? window.simLab.view.events : -1")).longValue();
  }

  /** Clicks a toolbar button and waits for the session's view to change. */
  private void click(String id) {
    long before = events();
    Object epoch = js("return window.simLab.view.epoch");
    chromium.driver.findElement(By.id(id)).click();
    chromium.await(id + " to take effect", d -> events() != before || !epoch.equals(js("return window.simLab.view.epoch")));
  }

  /** What the inspect tab's overview (node states, then each inspector) shows once it has caught up with the view. */
  private String controllerState() {
    js("document.querySelector(\"[data-tab='inspect']\").click()");
    return chromium.await("the inspector to catch up", d -> {
      WebElement out = d.findElement(By.id("inspector-output"));
      String at = out.getAttribute("data-events");
      return at != null && Long.parseLong(at) == events() ? out.getText() : null;
    });
  }

  private static Matcher leaderIn(String text) {
    Matcher m = LEADER.matcher(text);
    assertTrue(m.find(), "a leader and epoch for orders-0 in: " + text);
    return m;
  }

  @Test
  void crashTheLeaderByClickingItSeeTheNewLeaderRewindAndReplay() {
    chromium.driver.get(server.url());
    chromium.await("the scenario list", d -> js("return document.querySelectorAll('#scenario option').length > 0"));
    js("document.getElementById('system').value = 'kafka'; document.getElementById('system').dispatchEvent(new Event('change'));"
        + "document.getElementById('scenario').value = 'kafka.failover-leader-crash'; document.getElementById('scenario').dispatchEvent(new Event('change'));");
    chromium.driver.findElement(By.id("start")).click();
    chromium.await("the session's first events", d -> events() > 0 && (Boolean) js("return !!window.simLab.diagram"));

    // Step to the leader append.
    chromium.driver.findElement(By.id("until-kind")).sendKeys("kafka.leader.append");
    click("until");
    String leader = (String) js("const t = window.simLab.trace; for (let p = t.size - 1; p >= 0; p--) if (t.kindOf(p) === 'kafka.leader.append') return t.nodeName(p); return null;");
    String before = controllerState();
    Matcher old = leaderIn(before);
    assertTrue(before.contains("── \\segments "), "the overview shows Kafka's own inspector after the node states:\n" + before);
    assertEquals(leader, old.group(1), "the controller names the broker that appended as the leader");
    int oldEpoch = Integer.parseInt(old.group(2));

    // Crash the leader by clicking its lane, then its menu's crash.
    int lane = ((Number) js("return window.simLab.trace.nodes.indexOf(arguments[0])", leader)).intValue();
    WebElement canvas = chromium.driver.findElement(By.id("diagram"));
    int x = ((Number) js("return window.simLab.diagram.laneX(arguments[0])", lane)).intValue() - canvas.getSize().getWidth() / 2;
    new Actions(chromium.driver).moveToElement(canvas, x, 15 - canvas.getSize().getHeight() / 2).click().perform();
    WebElement crash = chromium.await("the node menu", d -> d.findElement(By.cssSelector("#node-menu:not([hidden]) button[data-action='crash']")));
    long beforeCrash = events();
    crash.click();
    chromium.await("the leader to be down", d -> js("return window.simLab.view.nodes.find(n => n.name === arguments[0]).status", leader).equals("crashed"));
    // The plan item's step: the kernel's "action" event, then the crash it causes.
    long actionIndex = ((Number) js("const t = window.simLab.trace; for (let p = t.size - 1; p >= 0; p--) if (t.kindOf(p) === 'action' && t.d[p] === 'fault: crash ' + arguments[0]) return t.i[p]; return -1;", leader)).longValue();
    assertTrue(actionIndex >= beforeCrash, "the crash comes after what was shown: #" + actionIndex + " vs " + beforeCrash + " events");
    String plan = (String) js("return window.simLab.view.plan_text");
    assertTrue(plan.contains("crash " + leader), "the click is a plan item: " + plan);

    // Run until the controller elects a new leader.
    chromium.driver.findElement(By.id("until-kind")).clear();
    chromium.driver.findElement(By.id("until-kind")).sendKeys("kafka.leader.elected");
    click("until");
    Matcher now = leaderIn(controllerState());
    assertNotEquals(leader, now.group(1), "a new leader");
    assertTrue(Integer.parseInt(now.group(2)) > oldEpoch, "a new leader epoch: " + now.group());
    chromium.screenshot("lab-failover");

    // Rewind to the event before the crash: the old leader and epoch again.
    js("const d = window.simLab.diagram; d.select(d.trace.positionOf(arguments[0]), true);", actionIndex - 1);
    click("rewind-here");
    chromium.await("the rewound view", d -> events() == actionIndex);
    Matcher back = leaderIn(controllerState());
    assertEquals(old.group(), back.group(), "rewound to before the crash: the old state");
    assertEquals("up", js("return window.simLab.view.nodes.find(n => n.name === arguments[0]).status", leader));

    // Run to the end; the recorded plan, replayed by ./sim run, gives the lab's trace hash.
    click("to-end");
    chromium.await("the end of the run", d -> (Boolean) js("return window.simLab.view.finished"));
    String hash = (String) js("return window.simLab.view.trace_hash");
    String replay = (String) js("return window.simLab.view.replay");
    Matcher faults = Pattern.compile("--faults \"([^\"]*)\"").matcher(replay);
    assertTrue(faults.find(), replay);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    Main.execute(new String[] {"run", "kafka.failover-leader-crash", "--seed", "1", "--faults", faults.group(1), "--quiet"}, System.in, ps, ps);
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("trace " + hash), "./sim run of the lab's plan gives trace " + hash + ":\n" + out);
    assertEquals(List.of(), chromium.consoleErrors());
  }

  @Test
  @SuppressWarnings("unchecked")
  void redisFsyncChartShowsLossPerPolicyPerSeed() {
    chromium.driver.get(server.url());
    chromium.await("the page", d -> js("return document.querySelectorAll('#scenario option').length > 0"));
    js("document.querySelector(\"[data-tab='charts']\").click(); document.getElementById('sweep-seeds').value = 3;");
    chromium.driver.findElement(By.id("sweep")).click();
    String series = chromium.await("the chart", d -> d.findElement(By.id("sweep-chart")).getAttribute("data-series"));
    Map<String, List<Number>> lost = (Map<String, List<Number>>) js("return JSON.parse(arguments[0])", series);
    assertEquals(3, lost.get("always").size());
    assertTrue(lost.get("always").stream().allMatch(n -> n.longValue() == 0), "appendfsync always loses no acknowledged write: " + lost);
    assertTrue(lost.get("no").stream().mapToLong(Number::longValue).sum() >= lost.get("everysec").stream().mapToLong(Number::longValue).sum(),
        "appendfsync no loses at least what everysec loses: " + lost);
    assertEquals(List.of(), chromium.consoleErrors());
  }

  @Test
  @SuppressWarnings("unchecked")
  void cassandraRwChartShowsTheStaleShareOfEachLevelPair() throws Exception {
    int seeds = 4;
    chromium.driver.get(server.url());
    chromium.await("the page", d -> js("return document.querySelectorAll('#scenario option').length > 0"));
    js("document.querySelector(\"[data-tab='charts']\").click(); document.getElementById('rw-seeds').value = arguments[0];", seeds);
    chromium.driver.findElement(By.id("rw-sweep")).click();
    String shown = chromium.await("the chart", d -> d.findElement(By.id("rw-chart")).getAttribute("data-cells"));
    List<Map<String, Object>> cells = (List<Map<String, Object>>) js("return JSON.parse(arguments[0])", shown);
    // the same sweep straight from the server: the chart draws what the model computed
    HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "api/sweeps/cassandra-rw?seeds=" + seeds)).build(),
        HttpResponse.BodyHandlers.ofString());
    List<Map<String, Object>> computed = (List<Map<String, Object>>) js("return JSON.parse(arguments[0]).cells", api.body());
    assertEquals(computed, cells);
    assertEquals(9, cells.size());
    Map<String, Object> grid = (Map<String, Object>) js("return JSON.parse(document.getElementById('rw-chart').dataset.grid)");
    List<String> levels = (List<String>) grid.get("levels");
    assertEquals(List.of("ONE", "QUORUM", "ALL"), levels, "the grid's rows and columns");
    boolean someStaleDrawn = false;
    for (Map<String, Object> c : cells) {
      long stale = ((Number) c.get("stale")).longValue();
      // the cell's bottom row of pixels is red exactly when some seed read stale (the fill grows from the bottom)
      double x = ((Number) grid.get("left")).doubleValue() + levels.indexOf((String) c.get("read")) * ((Number) grid.get("cw")).doubleValue() + 30;
      double y = ((Number) grid.get("top")).doubleValue() + (levels.indexOf((String) c.get("write")) + 1) * ((Number) grid.get("ch")).doubleValue() - 2;
      List<Number> rgb = (List<Number>) js("const d = document.getElementById('rw-chart').getContext('2d').getImageData(arguments[0], arguments[1], 1, 1).data; return [d[0], d[1], d[2]];",
          (int) x, (int) y);
      boolean red = rgb.get(0).intValue() == 0xc0 && rgb.get(1).intValue() == 0x39 && rgb.get(2).intValue() == 0x2b;
      assertEquals(stale > 0, red, c + " drawn as " + rgb);
      if ((Boolean) c.get("overlap")) assertEquals(0L, stale, "R + W > RF: no stale read: " + c);
      someStaleDrawn |= red;
    }
    assertTrue(someStaleDrawn, "some R + W <= RF pair read stale over " + seeds + " seeds and is drawn so: " + cells);
    chromium.screenshot("lab-cassandra-rw");
    assertEquals(List.of(), chromium.consoleErrors());
  }
}
