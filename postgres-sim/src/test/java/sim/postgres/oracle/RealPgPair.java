package sim.postgres.oracle;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import sim.core.testing.SimTesting;

/**
 * A real PostgreSQL 15 primary and a hot standby built from it with {@code pg_basebackup -R}, in a temporary
 * directory on free loopback ports, for the replication comparisons; stopped (immediate) and removed by
 * close(). The binaries come from {@code -Dsim.pg.bin=DIR} or /usr/lib/postgresql/15/bin. As root (initdb
 * refuses to run as root) every command runs as the {@code postgres} user through su.
 */
public final class RealPgPair implements AutoCloseable {
  public static final String DEFAULT_BIN = "/usr/lib/postgresql/15/bin";
  private final Path dir;
  public final int primaryPort;
  public final int standbyPort;

  private String initdbOptions = "";
  private String basebackupOptions = "";

  private RealPgPair(Path dir, int primaryPort, int standbyPort) {
    this.dir = dir;
    this.primaryPort = primaryPort;
    this.standbyPort = standbyPort;
  }

  /**
   * As {@link #start(List, List)}, with extra initdb options (e.g. {@code --wal-segsize=1}) and pg_basebackup
   * options (e.g. {@code -C -S s1}: create a physical slot, which -R then names as primary_slot_name).
   */
  public static RealPgPair start(String initdbOptions, String basebackupOptions, List<String> primarySettings, List<String> standbySettings)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("sim-pg-pair");
    if (asRoot()) run("chown postgres " + dir, false);
    RealPgPair pair = new RealPgPair(dir, freePort(), freePort());
    pair.initdbOptions = " " + initdbOptions;
    pair.basebackupOptions = " " + basebackupOptions;
    try {
      pair.startAll(primarySettings, standbySettings);
    } catch (IOException | RuntimeException e) {
      pair.close();
      throw e;
    }
    return pair;
  }

  /** The standby's server log so far. */
  public String standbyLog() throws IOException {
    return Files.readString(dir.resolve("s.log"));
  }

  static String bin() {
    return System.getProperty("sim.pg.bin", DEFAULT_BIN);
  }

  static boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  public static boolean available() {
    return Files.isExecutable(Path.of(bin(), "initdb")) && Files.isExecutable(Path.of(bin(), "pg_basebackup"));
  }

  /** Skips the test when PostgreSQL 15's server binaries are absent (fails under SIM_ORACLES=required). */
  public static void require() {
    SimTesting.requireOracle("PostgreSQL 15 server binaries (initdb, pg_ctl, pg_basebackup in " + bin() + ")", available(),
        "apt-get install postgresql-15, or -Dsim.pg.bin=DIR");
  }

  /**
   * initdb and start the primary, pg_basebackup -R the standby and start it with {@code standbySettings}
   * (each "name=value"), then wait until the standby streams.
   */
  public static RealPgPair start(List<String> standbySettings) throws IOException, InterruptedException {
    return start(List.of(), standbySettings);
  }

  /** As {@link #start(List)}, the primary started with {@code primarySettings}. */
  public static RealPgPair start(List<String> primarySettings, List<String> standbySettings) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("sim-pg-pair");
    if (asRoot()) run("chown postgres " + dir, false);
    RealPgPair pair = new RealPgPair(dir, freePort(), freePort());
    try {
      pair.startAll(primarySettings, standbySettings);
    } catch (IOException | RuntimeException e) {
      pair.close();
      throw e;
    }
    return pair;
  }

  private void startAll(List<String> primarySettings, List<String> standbySettings) throws IOException, InterruptedException {
    String b = bin();
    run(b + "/initdb -A trust -U postgres" + initdbOptions + " -D " + dir.resolve("p"), true);
    run(b + "/pg_ctl -D " + dir.resolve("p") + " -l " + dir.resolve("p.log") + " -o '" + options(primaryPort, primarySettings) + "' -w start", true);
    run(b + "/pg_basebackup -h 127.0.0.1 -p " + primaryPort + " -U postgres -D " + dir.resolve("s") + " -R" + basebackupOptions, true);
    run(b + "/pg_ctl -D " + dir.resolve("s") + " -l " + dir.resolve("s.log") + " -o '" + options(standbyPort, standbySettings) + "' -w start", true);
  }

  /** pg_ctl stop -m immediate of the standby: a crash, as far as the primary can tell. */
  public void crashStandby() throws IOException, InterruptedException {
    run(bin() + "/pg_ctl -D " + dir.resolve("s") + " -m immediate stop", true);
  }

  /** Starts the standby again with these settings. */
  public void startStandby(List<String> standbySettings) throws IOException, InterruptedException {
    run(bin() + "/pg_ctl -D " + dir.resolve("s") + " -l " + dir.resolve("s.log") + " -o '" + options(standbyPort, standbySettings) + "' -w start", true);
  }

  /** pg_ctl stop -m immediate of the primary: a crash; its next start runs crash recovery. */
  public void crashPrimary() throws IOException, InterruptedException {
    run(bin() + "/pg_ctl -D " + dir.resolve("p") + " -m immediate stop", true);
  }

  /** Starts the primary again (crash recovery first, if it crashed). */
  public void startPrimary(List<String> primarySettings) throws IOException, InterruptedException {
    run(bin() + "/pg_ctl -D " + dir.resolve("p") + " -l " + dir.resolve("p.log") + " -o '" + options(primaryPort, primarySettings) + "' -w start", true);
  }

  /** pg_waldump of the primary's pg_wal from {@code startLsn} to the end of valid WAL (its final "error" line included). */
  public String primaryWaldump(String startLsn) throws IOException, InterruptedException {
    return output(bin() + "/pg_waldump -p " + dir.resolve("p").resolve("pg_wal") + " -s " + startLsn, true);
  }

  /** The port of the cascading standby, once {@link #startCascade} has started it; 0 before. */
  public int cascadePort;

  /**
   * A third server: pg_basebackup -R from the standby (so its primary_conninfo names the standby: cascading
   * replication), started with {@code settings}.
   */
  public void startCascade(List<String> settings) throws IOException, InterruptedException {
    cascadePort = freePort();
    String b = bin();
    run(b + "/pg_basebackup -h 127.0.0.1 -p " + standbyPort + " -U postgres -D " + dir.resolve("c") + " -R", true);
    run(b + "/pg_ctl -D " + dir.resolve("c") + " -l " + dir.resolve("c.log") + " -o '" + options(cascadePort, settings) + "' -w start", true);
  }

  public Connection cascade() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + cascadePort + "/postgres?user=postgres");
  }

  /** pg_ctl promote -w of the standby. */
  public void promoteStandby() throws IOException, InterruptedException {
    run(bin() + "/pg_ctl -D " + dir.resolve("s") + " -w promote", true);
  }

  /** pg_ctl stop -m fast of the primary: a clean shutdown (its shutdown checkpoint reaches the standby first). */
  public void stopPrimaryCleanly() throws IOException, InterruptedException {
    run(bin() + "/pg_ctl -D " + dir.resolve("p") + " -m fast stop", true);
  }

  /** pg_rewind of the (stopped) primary's data directory from the promoted standby; its output, exit status last. */
  public String rewindPrimary(String options) throws IOException, InterruptedException {
    Process p = process(bin() + "/pg_rewind -D " + dir.resolve("p") + " --source-server='host=127.0.0.1 port=" + standbyPort
        + " user=postgres dbname=postgres' " + options + "; echo \"exit $?\"", true);
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  /** A file of the standby's data directory (e.g. pg_wal/00000002.history). */
  public String standbyFile(String path) throws IOException, InterruptedException {
    return output("cat " + dir.resolve("s").resolve(path), true);
  }

  /** pg_controldata of the primary's data directory. */
  public String primaryControlData() throws IOException, InterruptedException {
    return output(bin() + "/pg_controldata -D " + dir.resolve("p"), true);
  }

  private String options(int port, List<String> settings) {
    StringBuilder o = new StringBuilder("-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir);
    for (String s : settings) o.append(" -c ").append(s);
    return o.toString();
  }

  public Connection primary() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + primaryPort + "/postgres?user=postgres");
  }

  public Connection standby() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + standbyPort + "/postgres?user=postgres");
  }

  private static void run(String command, boolean asPostgres) throws IOException, InterruptedException {
    Process p = process(command, asPostgres);
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) throw new IOException(command + " failed: " + out);
  }

  /** The command's output, whatever its exit status (pg_waldump exits 1 at the end of the WAL). */
  private static String output(String command, boolean asPostgres) throws IOException, InterruptedException {
    Process p = process(command, asPostgres);
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  private static Process process(String command, boolean asPostgres) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (asPostgres && asRoot()) cmd.addAll(List.of("su", "postgres", "-s", "/bin/sh", "-c", command));
    else cmd.addAll(List.of("/bin/sh", "-c", command));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (String node : List.of("c", "s", "p")) {
      try {
        if (Files.exists(dir.resolve(node))) run(bin() + "/pg_ctl -D " + dir.resolve(node) + " -m immediate stop", true);
      } catch (IOException | InterruptedException e) {
        // already stopped
      }
    }
    try {
      run("rm -rf " + dir, false);
    } catch (IOException | InterruptedException e) {
      // left behind in the temporary directory
    }
  }
}
