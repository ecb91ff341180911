package sim.lab.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whatever a client sends, the lab answers: a bad request gets a 4xx whose message names what was wrong (the
 * field, the parameter, the method, the scenario, the node), and the server keeps serving. Over the kernel's own
 * example scenario, so this module's tests need no system module.
 */
class LabServerBadRequestsTest {
  private static LabHttp lab;

  @BeforeAll
  static void start() throws Exception {
    lab = new LabHttp();
  }

  @AfterAll
  static void stop() {
    if (lab != null) lab.close();
  }

  @Test
  void unknownPagesMethodsAndSessionsAreNamed() throws Exception {
    lab.refused(404, "/nope", lab.call("GET", "/nope", null, null));
    lab.refused(404, "/api/sessions/" + lab.session + "/frobnicate", lab.call("GET", lab.api("frobnicate"), null, null));
    lab.refused(405, "use POST here, not GET", lab.call("GET", lab.api("step"), null, null));
    lab.refused(405, "use GET here, not DELETE", lab.call("DELETE", "/api/scenarios", null, null));
    lab.refused(404, "no session '999'", lab.call("GET", "/api/sessions/999", null, null));
    lab.stillServing();
  }

  @Test
  void badBodiesSayWhatIsWrong() throws Exception {
    lab.refused(400, "not valid JSON", lab.call("POST", lab.api("step"), "{\"mode\": ", "application/json"));
    lab.refused(400, "must be a JSON object", lab.call("POST", lab.api("step"), "[1,2]"));
    lab.refused(415, "text/plain", lab.call("POST", lab.api("step"), "{}", "text/plain"));
    lab.refused(413, "over " + LabServer.MAX_BODY_BYTES + " bytes", lab.call("POST", lab.api("plan"), "{\"plan\":\"" + "x".repeat(LabServer.MAX_BODY_BYTES) + "\"}"));
    lab.refused(400, "'count' must be an integer", lab.call("POST", lab.api("step"), "{\"count\":\"three\"}"));
    lab.refused(400, "count must be 1..1000000", lab.call("POST", lab.api("step"), "{\"count\":0}"));
    lab.refused(400, "unknown step mode 'sideways'", lab.call("POST", lab.api("step"), "{\"mode\":\"sideways\"}"));
    lab.refused(400, "'speed' must be a number", lab.call("POST", lab.api("play"), "{\"speed\":\"fast\"}"));
    lab.refused(400, "speed must be 0.5..100000", lab.call("POST", lab.api("play"), "{\"speed\":1e9}"));
    lab.refused(400, "'index' must be an integer", lab.call("POST", lab.api("rewind"), "{}"));
    lab.refused(400, "index must be a trace event index", lab.call("POST", lab.api("rewind"), "{\"index\":-1}"));
    lab.refused(400, "rewind goes back: no event #99999999", lab.call("POST", lab.api("rewind"), "{\"index\":99999999}"));
    lab.stillServing();
  }

  @Test
  void badScenariosActionsPlansAndInspectorsAreNamed() throws Exception {
    lab.refused(400, "needs a scenario", lab.call("POST", "/api/sessions", "{}"));
    lab.refused(404, "unknown scenario 'example.registr'", lab.call("POST", "/api/sessions", "{\"scenario\":\"example.registr\"}"));
    lab.refused(400, "'seed' must be an integer", lab.call("POST", "/api/sessions", "{\"scenario\":\"example.register\",\"seed\":\"x\"}"));
    lab.refused(400, "unknown break rule \"no.such.rule\"", lab.call("POST", "/api/sessions", "{\"scenario\":\"example.register\",\"breaks\":[\"no.such.rule\"]}"));
    lab.refused(400, "an action needs its words", lab.call("POST", lab.api("action"), "{}"));
    lab.refused(400, "action 'explode primary'", lab.call("POST", lab.api("action"), "{\"action\":\"explode primary\"}"));
    lab.refused(400, "refused by ./sim run", lab.call("POST", lab.api("plan"), "{\"plan\":\"at 1s crash nosuchnode\"}"));
    lab.refused(404, "no inspector 'nope'", lab.call("GET", lab.api("inspect") + "?name=nope", null, null));
    lab.refused(400, "missing query parameter 'name'", lab.call("GET", lab.api("inspect"), null, null));
    lab.refused(404, "no inspector 'nope'", lab.call("GET", lab.api("panels") + "?arg.nope=1", null, null));
    lab.refused(400, "unknown query parameter 'x'", lab.call("GET", lab.api("panels") + "?x=1", null, null));
    lab.refused(404, "no node 'ghost'", lab.call("GET", lab.api("state") + "?node=ghost", null, null));
    lab.refused(400, "'i' must be an integer, got 'one'", lab.call("GET", lab.api("state") + "?i=one", null, null));
    lab.refused(400, "no event #123456789", lab.call("GET", lab.api("state") + "?i=123456789", null, null));
    lab.refused(400, "'from' must be an integer", lab.call("GET", lab.api("events") + "?from=abc", null, null));
    String badEscape = lab.raw("GET " + lab.api("feed") + "?from=%zz HTTP/1.1\r\nHost: 127.0.0.1:" + lab.server.port() + "\r\nConnection: close\r\n\r\n");
    assertTrue(badEscape.startsWith("HTTP/1.1 400"), "a malformed URI is refused by the HTTP layer itself: " + badEscape);
    lab.refused(400, "'seeds' must be 1..", lab.call("GET", "/api/sweeps/redis-fsync?seeds=100000", null, null));
    lab.refused(400, "'seeds' must be 1..", lab.call("GET", "/api/sweeps/cassandra-rw?seeds=0", null, null));
    lab.refused(404, "no scenario cassandra.rw-table", lab.call("GET", "/api/sweeps/cassandra-rw?seeds=2", null, null));
    lab.stillServing();
  }

  @Test
  void panelsGiveNodeStatesThenEveryInspector() throws Exception {
    LabHttp.Reply r = lab.call("GET", lab.api("panels"), null, null);
    assertEquals(200, r.status(), r.body().toString());
    assertEquals("nodes", r.body().get(0).path("name").asText(), "node states come first: " + r.body());
    String nodes = r.body().get(0).path("text").asText();
    assertTrue(nodes.contains("primary") && nodes.contains("backup"), "every node's state: " + nodes);
  }

  @Test
  void aForeignHostHeaderIsRefusedAndGarbageDoesNotStopTheServer() throws Exception {
    String reply = lab.raw("GET / HTTP/1.1\r\nHost: evil.example:" + lab.server.port() + "\r\nConnection: close\r\n\r\n");
    assertTrue(reply.startsWith("HTTP/1.1 403"), reply);
    assertTrue(reply.contains("answers only requests for 127.0.0.1:" + lab.server.port()), reply);
    lab.raw("\u0000\u0001 not http at all\r\n\r\n");
    lab.raw("GET /" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    lab.stillServing();
  }

  @Test
  void aClosedSessionIsGoneAndSaysSo() throws Exception {
    LabHttp.Reply created = lab.call("POST", "/api/sessions", "{\"scenario\":\"example.register\"}");
    String id = created.body().get("id").asText();
    assertEquals(200, lab.call("DELETE", "/api/sessions/" + id, null, null).status());
    lab.refused(404, "no session '" + id + "'", lab.call("POST", "/api/sessions/" + id + "/step", "{}"));
    lab.stillServing();
  }
}
