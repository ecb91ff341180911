package sim.redis.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sim.core.testing.SimTesting;

/** A real redis-server 7.0 started by a test on a free loopback port, stopped by close(). */
public final class RealRedis implements AutoCloseable {
  private final Process process;
  public final int port;
  public final Path dir;

  private RealRedis(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** The redis-server binary: {@code -Dsim.redis.server=PATH} if given, else the first on PATH, else null. */
  public static String binary() {
    String given = System.getProperty("sim.redis.server");
    if (given != null) return Files.isExecutable(Path.of(given)) ? given : null;
    for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(p, "redis-server"))) return Path.of(p, "redis-server").toString();
    }
    return null;
  }

  public static boolean available() {
    return binary() != null;
  }

  /** Skips the test when redis-server is absent (fails under SIM_ORACLES=required). */
  public static void require() {
    SimTesting.requireOracle("redis-server 7.0", available(), "apt-get install redis-server");
  }

  /** Starts with {@code --save '' --appendonly no} plus {@code extra} (later options override). */
  public static RealRedis start(Path dir, String... extra) throws IOException, InterruptedException {
    return startWithConfigFile(null, dir, extra);
  }

  /** The same, with {@code configFile} (when not null) as redis-server's first argument: CONFIG REWRITE writes it. */
  public static RealRedis startWithConfigFile(Path configFile, Path dir, String... extra) throws IOException, InterruptedException {
    int port = freePort();
    List<String> cmd = new ArrayList<>(List.of(binary()));
    if (configFile != null) cmd.add(configFile.toString());
    cmd.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "no",
        "--logfile", dir.resolve("redis.log").toString()));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.out").toFile()).start();
    RealRedis r = new RealRedis(p, port, dir);
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      if (!p.isAlive()) throw new IOException("redis-server exited: " + r.log());
      try (RespClient c = new RespClient(port)) {
        String reply = c.call("PING");
        if ("+PONG\r\n".equals(reply)) return r;
      } catch (IOException e) {
        // still starting or loading
      }
      Thread.sleep(50);
    }
    r.close();
    throw new IOException("redis-server did not answer PING: " + r.log());
  }

  public RespClient client() throws IOException {
    return new RespClient(port);
  }

  public String log() {
    try {
      Path log = dir.resolve("redis.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Whether the process is still running (a refused load makes it exit). */
  public boolean alive() {
    return process.isAlive();
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Runs redis-server on {@code dir} until it exits or answers; returns the exit log when it refused. */
  public static String startExpectingFailure(Path dir, String... extra) throws IOException, InterruptedException {
    try (RealRedis r = start(dir, extra)) {
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  @Override
  public void close() {
    try (RespClient c = new RespClient(port)) {
      c.call("SHUTDOWN", "NOSAVE");
    } catch (IOException e) {
      // already gone
    }
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
