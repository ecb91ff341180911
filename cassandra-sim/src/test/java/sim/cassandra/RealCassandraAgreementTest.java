package sim.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sim.cassandra.oracle.NativeClient;
import sim.cassandra.oracle.RealBackend;
import sim.cassandra.oracle.RealCassandra;
import sim.cassandra.script.ScriptParser;
import sim.cassandra.script.ScriptRunner;
import sim.cassandra.script.SimBackend;
import sim.core.testing.SimTesting;

/**
 * Every script in {@code scripts/} on one real Cassandra 5.0 node (a child JVM, started once for all of
 * them) and on the simulator: the JSON lines must be identical. With {@code -Dcassandra.golden.write=true}
 * (see {@code scripts/regenerate-golden.sh}) the real outputs are written as the golden files instead.
 */
class RealCassandraAgreementTest {
  private static RealCassandra real;
  private static final Map<String, List<String>> REAL_OUTPUT = new LinkedHashMap<>();

  @BeforeAll
  static void runEveryScriptOnRealCassandra() throws Exception {
    StringBuilder why = new StringBuilder();
    real = RealCassandra.startOrNull(why);
    SimTesting.requireOracle("a real Cassandra 5.0 node (cassandra-all in a child JVM)", real != null, why.toString());
    try (NativeClient client = new NativeClient(real.nativePort())) {
      RealBackend backend = new RealBackend(client);
      for (Path script : Scripts.all()) {
        REAL_OUTPUT.put(Scripts.name(script), ScriptRunner.run(ScriptParser.parse(Scripts.read(script)), backend));
      }
    }
    if (Boolean.getBoolean("cassandra.golden.write")) {
      for (Path script : Scripts.all()) {
        Files.writeString(Scripts.golden(script), String.join("\n", REAL_OUTPUT.get(Scripts.name(script))) + "\n", StandardCharsets.UTF_8);
      }
    }
  }

  @AfterAll
  static void stop() {
    if (real != null) real.close();
  }

  @Test
  void simulatorPrintsExactlyWhatRealCassandraPrints() {
    List<String> differing = new ArrayList<>();
    int statements = 0;
    for (Path script : Scripts.all()) {
      List<String> live = REAL_OUTPUT.get(Scripts.name(script));
      List<String> sim = ScriptRunner.run(ScriptParser.parse(Scripts.read(script)), new SimBackend(1, 1, null));
      statements += live.size();
      for (int i = 0; i < Math.max(live.size(), sim.size()); i++) {
        String r = i < live.size() ? live.get(i) : "(none)";
        String m = i < sim.size() ? sim.get(i) : "(none)";
        if (!r.equals(m)) differing.add(Scripts.name(script) + "\n  real: " + r + "\n  sim:  " + m);
      }
    }
    assertEquals(List.of(), differing, "statements compared: " + statements);
    System.out.println("cassandra-sim: " + statements + " statements in " + REAL_OUTPUT.size() + " scripts identical on real Cassandra 5.0 and the simulator");
  }

  @Test
  void realCassandraAgreesWithTheGoldenFiles() {
    List<String> differing = new ArrayList<>();
    for (Path script : Scripts.all()) {
      String golden = Scripts.read(Scripts.golden(script));
      String live = String.join("\n", REAL_OUTPUT.get(Scripts.name(script))) + "\n";
      if (!golden.equals(live)) differing.add(Scripts.name(script) + ":\n  golden " + golden + "\n  real   " + live);
    }
    assertEquals(List.of(), differing, "regenerate with cassandra-sim/scripts/regenerate-golden.sh if Cassandra changed");
  }
}
