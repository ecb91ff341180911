package sim.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sim.core.scenario.ScenarioRegistry;
import sim.lab.server.LabServer;

/**
 * The lab's inspect tab over each system's own inspectors, through the HTTP API the page uses: stepped to a
 * write-path point, the overview shows the mechanism in the system's words (ISR, LEO and HW; t_xmin and t_xmax;
 * the AOF's unsynced bytes; epochs and zxids; SSTables; segments and the translog), and what it shows moves as
 * the run goes on. No browser: this runs everywhere.
 */
class LabInspectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static LabServer server;

  @BeforeAll
  static void start() throws IOException {
    server = LabServer.start(0, ScenarioRegistry.load());
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  private static JsonNode call(String method, String path, String body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path.substring(1))).header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(r.statusCode() < 300, method + " " + path + " -> " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body());
  }

  /** A session of {@code scenario} at seed 1. */
  private static String session(String scenario) throws IOException, InterruptedException {
    return call("POST", "/api/sessions", "{\"scenario\":\"" + scenario + "\",\"seed\":1}").get("id").asText();
  }

  /** Steps to the next event of {@code kind}; fails if the run ends first. */
  private static void stepTo(String id, String kind) throws IOException, InterruptedException {
    JsonNode v = call("POST", "/api/sessions/" + id + "/step", "{\"mode\":\"kind\",\"kind\":\"" + kind + "\"}");
    assertEquals("", v.path("notice").asText(), "a " + kind + " before the end of the run");
  }

  /** The overview's panels by name ("nodes" first), with the given inspector arguments. */
  private static Map<String, String> panels(String id, String... args) throws IOException, InterruptedException {
    StringBuilder q = new StringBuilder();
    for (int i = 0; i < args.length; i += 2) {
      q.append(q.length() == 0 ? "?" : "&").append("arg.").append(args[i]).append('=').append(URLEncoder.encode(args[i + 1], StandardCharsets.UTF_8));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode p : call("GET", "/api/sessions/" + id + "/panels" + q, null)) out.put(p.get("name").asText(), p.get("text").asText());
    assertEquals("nodes", out.keySet().iterator().next(), "node states come first");
    return out;
  }

  private static long number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), "/" + regex + "/ in:\n" + text);
    return Long.decode(m.group(1));
  }

  /** An LSN printed as PostgreSQL does, {@code X/YYYYYYYY} after {@code label}, as a number. */
  private static long lsn(String text, String label) {
    Matcher m = Pattern.compile(label + " ([0-9A-F]+)/([0-9A-F]+)").matcher(text);
    assertTrue(m.find(), label + " LSN in:\n" + text);
    return (Long.parseLong(m.group(1), 16) << 32) | Long.parseLong(m.group(2), 16);
  }

  @Test
  void kafkaShowsTheLeadersIsrLeoAndHwAndTheHwAdvances() throws Exception {
    String id = session("kafka.write-path");
    stepTo(id, "kafka.hw.advance");
    Map<String, String> p = panels(id);
    String nodes = p.get("nodes");
    Pattern leaderLine = Pattern.compile("orders-0: leader, leader (\\S+), epoch (\\d+), ISR \\[([^]]*)], LEO (\\d+), HW (\\d+)");
    Matcher m = leaderLine.matcher(nodes);
    assertTrue(m.find(), "the leader's partition line with epoch, ISR, LEO and HW:\n" + nodes);
    assertTrue(Long.parseLong(m.group(5)) <= Long.parseLong(m.group(4)), "HW never passes the leader's LEO: " + m.group());
    assertTrue(nodes.contains("follower "), "the leader's view of each follower's LEO:\n" + nodes);
    assertTrue(p.get("segments").contains(".log") && p.get("segments").contains("batch["), "\\segments shows the log's batches:\n" + p.get("segments"));
    long hw = Long.parseLong(m.group(5));
    stepTo(id, "kafka.hw.advance");
    Matcher later = leaderLine.matcher(panels(id).get("nodes"));
    assertTrue(later.find());
    assertTrue(Long.parseLong(later.group(5)) > hw, "the next kafka.hw.advance moves the HW past " + hw + ": " + later.group());
  }

  @Test
  void postgresShowsTuplesWithXminXmaxTheSnapshotAndTheWalFlush() throws Exception {
    String id = session("pg.write-path");
    stepTo(id, "pg.wal.flush");
    stepTo(id, "pg.wal.flush");
    Map<String, String> p = panels(id, "heap", "accounts");
    String heap = p.get("heap");
    assertTrue(heap.contains("t_xmin") && heap.contains("t_xmax") && heap.contains("t_ctid") && heap.contains("infomask"), heap);
    long tuples = heap.lines().filter(l -> l.matches("\\s*\\d+\\s+normal\\s.*")).count();
    assertTrue(tuples >= 1, "a live tuple after two commits:\n" + heap);
    assertTrue(p.get("snapshot").contains("oldest xmin"), p.get("snapshot"));
    long insert = lsn(p.get("wal"), "WAL insert");
    long flushed = lsn(p.get("wal"), "flushed");
    assertTrue(flushed <= insert, "flush LSN never passes the insert LSN:\n" + p.get("wal"));
    stepTo(id, "pg.wal.flush");
    long after = panels(id, "heap", "accounts").get("heap").lines().filter(l -> l.matches("\\s*\\d+\\s+normal\\s.*")).count();
    assertTrue(after >= tuples, "tuples stay until vacuum: " + tuples + " then " + after);
  }

  @Test
  void redisShowsTheAofBufferUntilFsync() throws Exception {
    String id = session("redis.crash-appendfsync-everysec");
    stepTo(id, "redis.aof.write");
    String before = panels(id).get("redis");
    assertTrue(before.contains("appendonly.aof"), "the AOF's files:\n" + before);
    assertTrue(number(before, "unsynced=(\\d+)B") > 0, "written to the AOF but not yet fsynced:\n" + before);
    stepTo(id, "redis.aof.fsync");
    assertEquals(0, number(panels(id).get("redis"), "unsynced=(\\d+)B"), "appendfsync everysec's fsync leaves nothing unsynced");
  }

  @Test
  void zookeeperShowsRolesEpochsAndZxidsAndTheTreesStat() throws Exception {
    String id = session("zk.write-path");
    stepTo(id, "zk.zab.commit");
    Map<String, String> p = panels(id);
    String zk = p.get("zk");
    assertTrue(zk.contains("LEADING") && zk.contains("FOLLOWING"), zk);
    long epoch = number(zk, "epochs (\\d+)/");
    long committed = number(zk, "LEADING serving, epochs \\d+/\\d+, logged 0x[0-9a-f]+, committed (0x[0-9a-f]+)");
    assertEquals(epoch, committed >>> 32, "a zxid's high 32 bits are the epoch: " + Long.toHexString(committed));
    assertTrue(p.get("tree").contains("czxid=") && p.get("tree").contains("mzxid="), "\\tree of the first server with each znode's Stat:\n" + p.get("tree"));
    stepTo(id, "zk.zab.commit");
    long next = number(panels(id).get("zk"), "LEADING serving, epochs \\d+/\\d+, logged 0x[0-9a-f]+, committed (0x[0-9a-f]+)");
    assertTrue(next > committed, "the next commit has a higher zxid: " + Long.toHexString(committed) + " then " + Long.toHexString(next));
  }

  @Test
  void cassandraShowsTheRingMemtablesAndTheSstableAFlushWrites() throws Exception {
    String id = session("cassandra.write-path");
    Map<String, String> start = panels(id);
    assertTrue(start.get("ring").contains("tokens="), start.get("ring"));
    assertTrue(!start.get("sstables").contains("-big"), "no SSTable before the first flush:\n" + start.get("sstables"));
    stepTo(id, "cassandra.flush");
    boolean anySstable = false;
    for (String n : new String[] {"n1", "n2", "n3"}) {
      anySstable |= panels(id, "sstables", n).get("sstables").contains("-big (");
    }
    assertTrue(anySstable, "the flush wrote an SSTable on some replica");
  }

  @Test
  void elasticsearchShowsSegmentsAfterARefreshAndTheTranslog() throws Exception {
    String id = session("es.write-path");
    String before = panels(id).get("segments");
    assertTrue(!before.contains("_0:"), "no segment before the first refresh:\n" + before);
    stepTo(id, "es.refresh");
    Map<String, String> p = panels(id);
    assertTrue(p.get("segments").contains("_0:") && p.get("segments").contains("last refresh"), p.get("segments"));
    assertTrue(number(p.get("translog"), "(\\d+) ops") > 0, "the translog holds the indexed operations:\n" + p.get("translog"));
  }

  @Test
  void redisFsyncSweepCountsLostAcknowledgedWritesPerPolicy() throws Exception {
    JsonNode sweep = call("GET", "/api/sweeps/redis-fsync?seeds=2", null);
    JsonNode lost = sweep.get("lost");
    assertEquals(2, lost.get("always").size(), sweep.toString());
    for (int i = 0; i < 2; i++) {
      assertEquals(0, lost.get("always").get(i).asLong(), "appendfsync always loses no acknowledged write: " + sweep);
      assertTrue(lost.get("no").get(i).asLong() >= lost.get("everysec").get(i).asLong(), "no loses at least what everysec loses: " + sweep);
    }
    assertTrue(lost.get("no").get(0).asLong() > 0, "appendfsync no loses writes at the crash: " + sweep);
  }

  @Test
  void cassandraRwSweepCountsStaleReadsPerLevelPairFromTheModel() throws Exception {
    int seeds = 6;
    JsonNode sweep = call("GET", "/api/sweeps/cassandra-rw?seeds=" + seeds, null);
    assertEquals(3, sweep.get("rf").asInt(), sweep.toString());
    assertEquals("[\"ONE\",\"QUORUM\",\"ALL\"]", sweep.get("levels").toString(), sweep.toString());
    assertEquals(9, sweep.get("cells").size(), "one cell per (W, R) of ONE, QUORUM, ALL: " + sweep);
    long staleWithout = 0;
    for (JsonNode c : sweep.get("cells")) {
      long outcomes = 0;
      for (String o : new String[] {"stale", "fresh", "unanswered", "unacknowledged", "skipped", "pending"}) outcomes += c.get(o).asLong();
      assertEquals(seeds, outcomes, "each seed ends each pair's trial one way: " + c);
      boolean overlap = c.get("overlap").asBoolean();
      assertEquals(overlap, !(c.get("write").asText().equals("ONE") && !c.get("read").asText().equals("ALL")
          || c.get("write").asText().equals("QUORUM") && c.get("read").asText().equals("ONE")), "R + W > RF 3 as the model says: " + c);
      if (overlap) assertEquals(0, c.get("stale").asLong(), "R + W > RF: no stale read in any seed: " + c);
      else staleWithout += c.get("stale").asLong();
    }
    assertTrue(staleWithout > 0, "R + W <= RF reads come back stale in some seed: " + sweep);
  }
}
