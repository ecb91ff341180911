package sim.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;
import sim.zk.script.HumanFormat;
import sim.zk.tree.KeeperCode;

/** {@code ./sim zk}: arguments through picocli, errors with exit 2 saying what and where, zkCli's words. */
class ZkCommandTest {
  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = new ZkCommand().run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void withoutJsonTheScriptReadsAsZkCliPrintsIt() {
    Run r = run("--script", "scripts/errors.zk", "--servers", "3");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("   2 c1> create /a \"x\"\n      Created /a\n"), r.out());
    assertTrue(r.out().contains("c1> create /a \"again\"\n      KeeperErrorCode = NodeExists for /a\n"), r.out());
    assertTrue(r.out().contains("c1> get /nope\n      KeeperErrorCode = NoNode for /nope\n"), r.out());
    assertTrue(r.out().contains("c1> delete /a\n      KeeperErrorCode = Directory not empty for /a\n"), r.out());
  }

  @Test
  void errorLinesAreTheRealKeeperExceptionMessages() {
    for (KeeperCode code : KeeperCode.values()) {
      if (code == KeeperCode.OK || code == KeeperCode.UNKNOWNSESSION) continue; // -12: no KeeperException for it
      KeeperException.Code real = KeeperException.Code.get(code.intValue());
      assertEquals(KeeperException.create(real, "/p").getMessage(), HumanFormat.error(code, "/p"), code.name());
    }
  }

  @Test
  void serversAcceptsOnlyTheSizesItNames() {
    for (String n : new String[] {"2", "4", "7", "-1"}) {
      Run r = run("--script", "scripts/basics.zk", "--servers", n);
      assertEquals(2, r.exit(), n);
      assertTrue(r.err().contains("'--servers'") && r.err().contains("1, 3 or 5"), r.err());
    }
    Run tree = run("--script", "scripts/basics.zk", "--servers", "0", "--json", "--normalize");
    assertEquals(0, tree.exit(), tree.err());
    for (String n : new String[] {"1", "3", "5"}) {
      Run r = run("--script", "scripts/basics.zk", "--servers", n, "--json", "--normalize");
      assertEquals(0, r.exit(), r.err());
      assertEquals(tree.out(), r.out(), n + " servers answer as the bare tree does");
    }
  }

  @Test
  void badArgumentsSayWhatAndWhere() {
    Run missing = run("--script", "no/such.zk");
    assertEquals(2, missing.exit());
    assertEquals("zk: --script no/such.zk: no such file\n", missing.err());
    Run unknown = run("--script", "scripts/basics.zk", "--colour");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().startsWith("zk: Unknown option: '--colour'"), unknown.err());
    Run noScript = run("--json");
    assertEquals(2, noScript.exit());
    assertTrue(noScript.err().contains("--script"), noScript.err());
  }

  @Test
  void helpPrintsTheOptionsAndExitsZero() {
    Run r = run("--help");
    assertEquals(0, r.exit());
    assertTrue(r.out().contains("--servers=N") && r.out().contains("1, 3 or 5"), r.out());
  }
}
