package sim.cassandra.oracle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts {@link RealCassandraServer} in a child JVM with the flags of Cassandra 5.0's
 * {@code jvm17-server.options} (and a 768 MB heap), waits until it serves CQL on 127.0.0.1, and stops it
 * on close. One node per child; start one per test run and run every script on it.
 */
public final class RealCassandra implements AutoCloseable {
  /** Cassandra 5.0's conf/jvm17-server.options: the JPMS exports and opens it needs on Java 17. */
  static final List<String> JVM17_FLAGS = List.of(
      "-Djdk.attach.allowAttachSelf=true",
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
      "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
      "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
      "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.base/java.io=ALL-UNNAMED",
      "--add-opens", "java.base/java.nio=ALL-UNNAMED",
      "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens", "java.base/java.util=ALL-UNNAMED",
      "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/java.math=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens", "java.base/java.net=ALL-UNNAMED");

  private final Process process;
  private final Path dir;
  private final int nativePort;
  private final List<String> output;

  private RealCassandra(Process process, Path dir, int nativePort, List<String> output) {
    this.process = process;
    this.dir = dir;
    this.nativePort = nativePort;
    this.output = output;
  }

  public int nativePort() {
    return nativePort;
  }

  /** Starts a node, or returns null (with the reason in {@code why}) when it cannot start here. */
  public static RealCassandra startOrNull(StringBuilder why) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("sim-cassandra-oracle");
      int nativePort = freePort();
      int storagePort = freePort();
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(JVM17_FLAGS);
      cmd.addAll(List.of("-Xms768m", "-Xmx768m", "-Xss512k", "-XX:+UseG1GC", "-XX:ActiveProcessorCount=2",
          "-cp", System.getProperty("java.class.path"), RealCassandraServer.class.getName(),
          dir.toString(), Integer.toString(nativePort), Integer.toString(storagePort)));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      List<String> lines = new ArrayList<>();
      BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
        if (line.equals("READY")) {
          Thread drain = new Thread(() -> drain(r), "cassandra-oracle-output");
          drain.setDaemon(true);
          drain.start();
          return new RealCassandra(p, dir, nativePort, lines);
        }
        if (System.nanoTime() > deadline) break;
      }
      p.destroyForcibly();
      why.append("the Cassandra child JVM did not start: ").append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
      deleteTree(dir);
      return null;
    } catch (IOException e) {
      why.append("cannot start a child JVM: ").append(e);
      if (dir != null) deleteTree(dir);
      return null;
    }
  }

  private static void drain(BufferedReader r) {
    try {
      while (r.readLine() != null) {
        // discard: the node logs at ERROR only
      }
    } catch (IOException ignored) {
      // the child exited
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public String startupLog() {
    return String.join("\n", output);
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
    deleteTree(dir);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: a temp directory
    }
  }
}
