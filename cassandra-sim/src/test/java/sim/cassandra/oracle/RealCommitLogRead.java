package sim.cassandra.oracle;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.cassandra.db.Mutation;
import org.apache.cassandra.db.commitlog.CommitLogDescriptor;
import org.apache.cassandra.db.commitlog.CommitLogReadHandler;
import org.apache.cassandra.db.commitlog.CommitLogReader;
import org.apache.cassandra.io.util.File;
import org.apache.cassandra.schema.TableId;

/**
 * Reads commit log segments with Cassandra 5.0's own {@code CommitLogReader}, as replay at start-up does,
 * in a child JVM. The tables are unknown to this JVM's schema, so each well-framed mutation surfaces as an
 * invalid mutation counted per table id (the reader got through the segment header, the sync markers, the
 * entry's size and CRCs, the mutation's update count and its table id). Prints, per segment:
 * {@code SEGMENT name version id}, then {@code TABLE id count} lines, then {@code ERROR message} lines for
 * every read error the handler was told of.
 */
public final class RealCommitLogRead {
  private RealCommitLogRead() {}

  public static void main(String[] args) throws Exception {
    RealSSTableDump.initOffline("sim-commitlog-read");
    StringBuilder out = new StringBuilder();
    for (String path : args) {
      File file = new File(path);
      CommitLogDescriptor d = CommitLogDescriptor.fromFileName(file.name());
      out.append("SEGMENT ").append(file.name()).append(' ').append(d.getMessagingVersion()).append(' ').append(d.id).append('\n');
      List<String> errors = new ArrayList<>();
      CommitLogReader reader = new CommitLogReader();
      reader.readCommitLogSegment(new Recorder(errors), file, false);
      Map<String, Integer> byTable = new TreeMap<>();
      for (Map.Entry<TableId, AtomicInteger> e : reader.getInvalidMutations()) byTable.put(e.getKey().toHexString(), e.getValue().get());
      byTable.forEach((id, n) -> out.append("TABLE ").append(id).append(' ').append(n).append('\n'));
      for (String e : errors) out.append("ERROR ").append(e).append('\n');
    }
    System.out.print("BEGIN\n" + out + "END\n");
    System.out.flush();
    System.exit(0);
  }

  /** Records errors; skips the rest of a segment at the first one, as a replica's replay stops there. */
  private static final class Recorder implements CommitLogReadHandler {
    private final List<String> errors;

    Recorder(List<String> errors) {
      this.errors = errors;
    }

    @Override
    public boolean shouldSkipSegmentOnError(CommitLogReadException e) {
      errors.add(e.getMessage());
      return true;
    }

    @Override
    public void handleUnrecoverableError(CommitLogReadException e) throws IOException {
      errors.add(e.getMessage());
    }

    @Override
    public void handleMutation(Mutation m, int size, int entryLocation, CommitLogDescriptor desc) {
      errors.add("a mutation of a table this JVM does not know was decoded: " + m);
    }
  }
}
