package sim.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRegistry;
import sim.core.scenario.ScenarioRunner;

/** The JSONL trace against core/src/main/resources/trace-schema.json, line by line. */
class TraceSchemaTest {
  static Schema schema() throws Exception {
    try (InputStream in = TraceSchemaTest.class.getResourceAsStream("/trace-schema.json")) {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
    }
  }

  static List<Error> errors(Schema schema, String line) {
    return schema.validate(line, InputFormat.JSON);
  }

  private static String run(Scenario scenario, RunOptions options, RunResult[] result) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JsonlTraceWriter writer = new JsonlTraceWriter(bytes);
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("schema", 1);
    header.put("scenario", scenario.name());
    header.put("seed", options.seed());
    header.put("fault_plan", options.faultPlan());
    header.put("fault_plan_source", "user");
    header.put("swarm", options.swarm());
    header.put("breaks", options.sortedBreaks());
    header.put("fault_phase_ns", scenario.durationNanos());
    header.put("liveness_ns", scenario.livenessNanos());
    header.put("nodes", List.of("primary", "backup", "client"));
    header.put("simulator", "internals-sim");
    header.put("simulator_version", Versions.simulator());
    header.put("module", Versions.module(scenario.getClass()));
    header.put("module_version", Versions.moduleVersion(scenario.getClass()));
    header.put("replay", ScenarioRunner.replayCommand(scenario, options));
    writer.header(header);
    RunResult r = ScenarioRunner.run(scenario, options.withListeners(List.of(writer)));
    writer.footer(r.traceHash(), Map.of("sim_ns", r.simNanos(), "kernel_events", r.events(), "result", r.ok() ? "OK" : "FAILED"));
    writer.close();
    result[0] = r;
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyLineOfARunWithManyKindsOfFaultsMatchesTheSchema() throws Exception {
    Scenario register = ScenarioRegistry.load().find("example.register").orElseThrow();
    String plan = "at 1s disk backup fsync-latency 5ms; at 1.5s drop 0.2; at 2s partition primary|backup; at 2.5s heal; "
        + "at 3s crash primary; at 3.5s restart primary; at 4s pause backup; at 4.5s resume backup; at 5s disk backup eio 1";
    RunResult[] r = new RunResult[1];
    String text = run(register, RunOptions.seed(7).withFaults(plan), r);
    Schema schema = schema();
    List<String> lines = text.lines().toList();
    ObjectMapper json = new ObjectMapper();
    Set<String> kinds = new HashSet<>();
    Set<Long> sent = new HashSet<>();
    long expectedIndex = 0;
    for (String line : lines) {
      List<Error> errors = errors(schema, line);
      assertTrue(errors.isEmpty(), line + " -> " + errors);
      JsonNode n = json.readTree(line);
      if (!n.get("type").asText().equals("event")) continue;
      assertEquals(expectedIndex++, n.get("i").asLong(), "indices run without gaps");
      kinds.add(n.get("kind").asText());
      if (n.get("kind").asText().equals("send")) sent.add(n.get("msg_id").asLong());
      if (n.get("kind").asText().equals("deliver")) {
        assertTrue(sent.contains(n.get("msg_id").asLong()), "a delivery names the id of an earlier send: " + line);
      }
    }
    assertTrue(lines.get(0).startsWith("{\"type\":\"header\""), lines.get(0));
    JsonNode footer = json.readTree(lines.get(lines.size() - 1));
    assertEquals("footer", footer.get("type").asText());
    assertEquals(lines.size() - 2, footer.get("events").asLong(), "the footer counts the event lines");
    assertEquals(r[0].traceEvents(), footer.get("events").asLong(), "the run's event count is the file's");
    assertEquals(r[0].traceHash(), footer.get("trace_hash").asText());
    for (String k : List.of("start", "crash", "restart", "send", "deliver", "drop", "partition", "heal", "fault", "pause",
        "resume", "fsync.wait", "fsync.done", "check", "phase", "disk.write")) {
      assertTrue(kinds.contains(k), "the run exercises " + k + ": " + kinds);
    }
  }

  @Test
  void theSchemaRefusesLinesThatBreakTheContract() throws Exception {
    Schema schema = schema();
    String ok = "{\"type\":\"event\",\"i\":0,\"t_ns\":0,\"node\":\"n1\",\"kind\":\"note\",\"detail\":\"hi\"}";
    assertTrue(errors(schema, ok).isEmpty(), errors(schema, ok).toString());
    List<String> bad = List.of(
        "{\"type\":\"event\",\"i\":0,\"t_ns\":0,\"node\":\"n1\",\"detail\":\"no kind\"}",
        "{\"type\":\"event\",\"i\":0,\"t_ns\":-1,\"node\":\"n1\",\"kind\":\"note\",\"detail\":\"negative time\"}",
        "{\"type\":\"event\",\"i\":1,\"t_ns\":5,\"node\":\"n1\",\"kind\":\"send\",\"detail\":\"n1->n2 Ping\",\"from\":\"n1\",\"to\":\"n2\"}",
        "{\"type\":\"event\",\"i\":1,\"t_ns\":5,\"node\":\"n1\",\"kind\":\"crash\",\"detail\":\"no incarnation\"}",
        "{\"type\":\"event\",\"i\":1,\"t_ns\":5,\"node\":\"sim\",\"kind\":\"fault\",\"detail\":\"drop 0.1\",\"attrs\":{\"p\":0.1}}",
        "{\"type\":\"event\",\"i\":1,\"t_ns\":5,\"node\":\"n1\",\"kind\":\"x.y\",\"detail\":\"\",\"attrs\":{\"k\":{\"nested\":1}}}",
        "{\"type\":\"event\",\"i\":1,\"t_ns\":5,\"node\":\"n1\",\"kind\":\"x.y\",\"detail\":\"\",\"surprise\":1}",
        "{\"type\":\"footer\",\"events\":3,\"trace_hash\":\"xyz\",\"sim_ns\":0,\"kernel_events\":0,\"result\":\"OK\"}",
        "{\"type\":\"header\",\"scenario\":\"s\"}",
        "{\"type\":\"nonsense\"}");
    for (String line : bad) assertFalse(errors(schema, line).isEmpty(), "the schema must refuse " + line);
  }
}
