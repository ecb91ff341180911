package sim.postgres.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.postgres.PgCommand;

class ScheduleTest {
  @Test
  void parsesSetupStepsAndComments() {
    Schedule s = Schedule.parse("# c\n-- c\nsetup: create table t (a int)\n\nT1: select 1\nT2:  begin \n");
    assertEquals(List.of("create table t (a int)"), s.setup());
    assertEquals(List.of(new Schedule.Step(1, "T1", "select 1"), new Schedule.Step(2, "T2", "begin")), s.steps());
  }

  @Test
  void malformedLinesAreNamed() {
    var e = assertThrows(IllegalArgumentException.class, () -> Schedule.parse("setup: create table t (a int)\nT1 select 1\n"));
    assertEquals("line 2: expected 'SESSION: SQL' or 'setup: SQL', got: T1 select 1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Schedule.parse("T1:\n"));
    assertEquals("line 1: no SQL after 'T1:'", e.getMessage());
  }

  @Test
  void commandReportsBadInputWithExitCodeTwo() throws Exception {
    Path bad = Files.createTempFile("bad", ".sched");
    Files.writeString(bad, "setup: create table t (a int\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = new PgCommand().run(new String[] {"--schedule", bad.toString()}, System.in,
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, rc);
    assertEquals("pg: " + bad + ": line 1: setup statement failed: create table t (a int: 42601 syntax error at end of input",
        err.toString(StandardCharsets.UTF_8).strip());
    Files.delete(bad);
  }

  static String[] runCommand(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = new PgCommand().run(args, System.in, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void usageErrorsSayWhatAndWhereWithExitCodeTwo() throws Exception {
    String[] r = runCommand("--schedule", "/nope");
    assertEquals("2", r[0]);
    assertEquals("pg: --schedule /nope: no such file", r[2].strip());
    r = runCommand("--schedule", "x.sched", "--bogus");
    assertEquals("2", r[0]);
    assertTrue(r[2].startsWith("pg: Unknown option: '--bogus'"), r[2]);
    r = runCommand();
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("Missing required option: '--schedule=FILE'"), r[2]);
    r = runCommand("--schedule", "x.sched", "--deadlock-timeout", "soon");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("'soon' is not a duration"), r[2]);
    Path dir = Files.createTempDirectory("sched");
    r = runCommand("--schedule", dir.toString());
    assertEquals("pg: --schedule " + dir + ": is a directory, not a schedule file", r[2].strip());
    Files.delete(dir);
    Path bad = Files.createTempFile("bad", ".sched");
    Files.writeString(bad, "setup: create table t (a int)\nT1 select 1\n");
    r = runCommand("--schedule", bad.toString());
    assertEquals("pg: " + bad + ": line 2: expected 'SESSION: SQL' or 'setup: SQL', got: T1 select 1", r[2].strip());
    Files.delete(bad);
  }

  @Test
  void helpPrintsTheOptionsWithExitCodeZero() {
    String[] r = runCommand("--help");
    assertEquals("0", r[0]);
    assertTrue(r[1].contains("--schedule=FILE") && r[1].contains("--deadlock-timeout=DURATION"), r[1]);
  }

  @Test
  void runsAScheduleInTheOracleFormat() throws Exception {
    Path f = Files.createTempFile("ok", ".sched");
    Files.writeString(f, "setup: create table test (id int primary key, value int)\nT1: insert into test values (1, 2)\nT1: select * from test\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc = new PgCommand().run(new String[] {"--schedule", f.toString(), "--json"}, System.in,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
    assertEquals(0, rc);
    assertEquals("{\"step\":1,\"session\":\"T1\",\"status\":\"ok\",\"count\":1}\n{\"step\":2,\"session\":\"T1\",\"status\":\"ok\",\"rows\":[[1,2]]}",
        out.toString(StandardCharsets.UTF_8).strip());
    Files.delete(f);
  }
}
