package sim.cassandra.oracle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link RealSSTableDump} (Cassandra 5.0's own SSTable reader) in a child JVM with the flags of
 * {@code jvm17-server.options}, and returns what it printed between its BEGIN and END lines.
 */
public final class RealSSTableReader {
  private RealSSTableReader() {}

  /** The dump of the SSTables whose Data.db files are {@code dataFiles}; the child's output on failure. */
  public static String dump(List<Path> dataFiles) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>();
    for (Path p : dataFiles) args.add(p.toString());
    return run(args);
  }

  /**
   * Has Cassandra's {@code CQLSSTableWriter} write {@link RealSSTableDump#WRITER_SCHEMA}'s rows into
   * {@code dir}, then dumps them: a {@code FILE path} line follows each {@code SSTABLE} line.
   */
  public static String writeAndDump(Path dir) throws IOException, InterruptedException {
    return run(List.of("--write", dir.toString()));
  }

  private static String run(List<String> args) throws IOException, InterruptedException {
    return runChild(RealSSTableDump.class, args);
  }

  /**
   * Runs {@code main} (a class of this package printing BEGIN, its answer, END) in a child JVM with
   * Cassandra's Java 17 flags; returns the answer, or throws with everything the child printed.
   */
  static String runChild(Class<?> main, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(RealCassandra.JVM17_FLAGS);
    cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
    String text = new String(out, StandardCharsets.UTF_8);
    int begin = text.indexOf("BEGIN\n");
    int end = text.lastIndexOf("END\n");
    if (begin < 0 || end < begin) throw new IllegalStateException(main.getSimpleName() + " (Cassandra 5.0 in a child JVM) failed:\n" + text);
    return text.substring(begin + "BEGIN\n".length(), end);
  }
}
