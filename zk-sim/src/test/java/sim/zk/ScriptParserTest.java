package sim.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sim.zk.script.ScriptException;
import sim.zk.script.ScriptLine;
import sim.zk.script.ScriptParser;
import sim.zk.tree.Op;

class ScriptParserTest {
  @Test
  void parsesTheIssuesExamples() {
    List<ScriptLine> lines = ScriptParser.parse("""
        # comment
        c1: create /app "v1"
        c1: create -s -e /lock/n- ""
        c2: get -w /app
        c1: set /app "v2" 0
        c2: ls /lock
        c1: close
        """);
    assertEquals(6, lines.size());
    assertEquals(new Op.Create("/app", "v1", false, false), lines.get(0).op());
    assertEquals(2, lines.get(0).lineNo());
    assertEquals(new Op.Create("/lock/n-", "", true, true), lines.get(1).op());
    assertEquals(new Op.GetData("/app", true), lines.get(2).op());
    assertEquals(new Op.SetData("/app", "v2", 0), lines.get(3).op());
    assertEquals(new Op.CloseSession(), lines.get(5).op());
  }

  @Test
  void malformedLinesNameTheirLine() {
    assertError("c1: create /a \"x\"\n\nc1: crate /b", 3, "unknown command 'crate'");
    assertError("c1: set /a", 1, "set needs data");
    assertError("c1: set /a \"x\" abc", 1, "version 'abc' is not an integer");
    assertError("c1 create /a", 1, "expected '<client>: <command>");
    assertError("c1: get app", 1, "path 'app' must start with '/'");
    assertError("c1: create /a \"unterminated", 1, "unterminated quoted string");
    assertError("c1: multi create /a ; get /a", 1, "'get' cannot be part of a multi");
    assertError("c1: delete /a 1 2", 1, "unexpected '2'");
  }

  private static void assertError(String script, int line, String text) {
    ScriptException e = assertThrows(ScriptException.class, () -> ScriptParser.parse(script));
    assertEquals(line, e.line());
    assertTrue(e.getMessage().startsWith("line " + line + ": ") && e.getMessage().contains(text), e.getMessage());
  }

  @Property
  void quotedDataRoundTrips(@ForAll @StringLength(max = 40) String data) {
    String escaped = data.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "");
    String expected = data.replace("\r", "");
    List<ScriptLine> lines = ScriptParser.parse("c1: set /x \"" + escaped + "\" 3");
    assertEquals(new Op.SetData("/x", expected, 3), lines.get(0).op());
  }

  @Test
  void cliReportsAMalformedScriptWithItsLineAndExitCode2(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.zk");
    Files.writeString(f, "c1: create /a \"x\"\nc1: frobnicate /a\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new ZkCommand().run(new String[] {"--script", f.toString(), "--json"}, System.in,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("line 2: unknown command 'frobnicate'"), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void cliRunsAScriptOnAnEnsemble(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ok.zk");
    Files.writeString(f, "c1: create /a \"x\"\nc2: get /a\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = new ZkCommand().run(new String[] {"--script", f.toString(), "--json", "--servers", "3"}, System.in,
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertEquals(0, code);
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length);
    assertTrue(lines[1].contains("\"data\":\"x\"") && lines[1].contains("\"czxid\":\"0x100000002\""), lines[1]);
  }
}
