package sim.es.cluster.coordination;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import sim.core.NodeContext;
import sim.core.disk.SimDisk;
import sim.es.cluster.state.ClusterState;
import sim.es.cluster.state.ClusterStateJson;

/**
 * A master-eligible node's term and last accepted cluster state, and their file {@code _state/coordination}
 * (Elasticsearch's GatewayMetaState.LucenePersistedState, a Lucene index there, one JSON file here). The
 * rules of {@link CoordinationState} change them in memory; {@link #persist} writes both to a temporary
 * file, fsyncs it through the kernel's durability door and renames it into place before running what may
 * only happen once they are durable (a Join, a PublishResponse).
 */
final class PersistedStateFile implements CoordinationState.PersistedState {
  static final String STATE_FILE = "_state/coordination";
  private static final String TMP_PREFIX = "_state/coordination-";

  private final TreeMap<Long, ClusterState> beingPersisted = new TreeMap<>();
  private final TreeMap<Long, List<Runnable>> afterPersist = new TreeMap<>();
  private SimDisk disk;
  private long currentTerm;
  private ClusterState lastAccepted = ClusterState.empty();
  private ClusterState durablyAccepted = ClusterState.empty();
  private long nextPersistId;

  @Override
  public long currentTerm() {
    return currentTerm;
  }

  @Override
  public ClusterState lastAcceptedState() {
    return lastAccepted;
  }

  @Override
  public void setCurrentTerm(long term) {
    currentTerm = term;
  }

  @Override
  public void setLastAcceptedState(ClusterState s) {
    lastAccepted = s;
  }

  /** The accepted state in the file: what this node holds whatever crashes. */
  ClusterState durablyAccepted() {
    return durablyAccepted;
  }

  /** Reads the file at start; returns false when there is none (a new node, to bootstrap). */
  boolean load(SimDisk disk) {
    this.disk = disk;
    for (String f : disk.list(TMP_PREFIX)) disk.delete(f); // a write that never became durable
    if (!disk.exists(STATE_FILE)) return false;
    ClusterStateJson.Persisted p = ClusterStateJson.decode(disk.readAll(STATE_FILE));
    currentTerm = p.currentTerm();
    lastAccepted = p.lastAcceptedState();
    durablyAccepted = lastAccepted;
    return true;
  }

  /** Writes the term and accepted state, fsyncs, renames into place, then runs {@code then}. */
  void persist(NodeContext ctx, Runnable then) {
    long id = nextPersistId++;
    String tmp = TMP_PREFIX + id + ".tmp";
    disk.create(tmp);
    disk.write(tmp, 0, ClusterStateJson.encode(new ClusterStateJson.Persisted(currentTerm, lastAccepted)));
    afterPersist.put(id, new ArrayList<>(List.of(then)));
    beingPersisted.put(id, lastAccepted);
    ctx.fsyncThen(tmp, new CoordinationTimer.Persisted(id));
  }

  void onPersisted(long id) {
    String tmp = TMP_PREFIX + id + ".tmp";
    ClusterState written = beingPersisted.remove(id);
    if (disk.exists(tmp)) {
      durablyAccepted = written; // set first: the checks look when the rename is traced
      disk.rename(tmp, STATE_FILE); // atomic, and fsyncs complete in order
    }
    List<Runnable> then = afterPersist.remove(id);
    if (then != null) for (Runnable r : then) r.run();
  }
}
