package sim.cassandra.oracle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@link RealCommitLogRead} (Cassandra 5.0's {@code CommitLogReader}) on segment files in a child JVM. */
public final class RealCassandraCommitLog {
  private RealCassandraCommitLog() {}

  /**
   * What Cassandra read from each segment, in {@link RealCommitLogRead}'s lines; a path in an error message is
   * given relative to the directory holding {@code commitlog/}, as the simulated disk names the file.
   */
  public static String read(List<Path> segments) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>();
    for (Path p : segments) args.add(p.toString());
    String out = RealSSTableReader.runChild(RealCommitLogRead.class, args);
    if (segments.isEmpty()) return out;
    return out.replace(segments.get(0).getParent().getParent().toString() + "/", "");
  }
}
