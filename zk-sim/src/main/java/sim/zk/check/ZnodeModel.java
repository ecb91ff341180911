package sim.zk.check;

import java.util.Optional;
import sim.core.lin.Model;
import sim.zk.tree.KeeperCode;

/**
 * The sequential specification of one znode's data and version, for the linearizability checker: ZooKeeper
 * promises linearizable writes, and a {@code sync} followed by a read on the same session sees every write
 * completed before the sync began. Each path is its own partition (linearizability is local).
 */
public final class ZnodeModel implements Model<ZnodeModel.Znode, ZnodeModel.Call, ZnodeModel.Answer> {
  /** A znode: absent, or present with its data and {@code version} (0 after create, +1 per setData). */
  public record Znode(boolean exists, String data, int version) {
    static final Znode ABSENT = new Znode(false, null, -1);

    Znode set(String newData) {
      return new Znode(true, newData, version + 1);
    }

    @Override
    public String toString() {
      return exists ? "\"" + data + "\" v" + version : "absent";
    }
  }

  /** An operation on one path. */
  public sealed interface Call {
    String path();
  }

  public record Create(String path, String data) implements Call {}

  /** {@code setData} with {@code expectedVersion} -1 (any) or a version to match. */
  public record SetData(String path, String data, int expectedVersion) implements Call {}

  public record Delete(String path, int expectedVersion) implements Call {}

  /** {@code sync} then {@code getData} on one session: linearizable as one read. */
  public record SyncedRead(String path) implements Call {}

  /** What the client was told: {@code code} null for success, with the version (and data, for reads). */
  public record Answer(KeeperCode code, int version, String data) {
    public static Answer ok(int version, String data) {
      return new Answer(null, version, data);
    }

    public static Answer error(KeeperCode code) {
      return new Answer(code, -1, null);
    }

    @Override
    public String toString() {
      return code != null ? code.name() : data == null ? "ok v" + version : "\"" + data + "\" v" + version;
    }
  }

  @Override
  public Znode init() {
    return Znode.ABSENT;
  }

  @Override
  public Optional<Znode> step(Znode z, Call call, Answer a) {
    KeeperCode code = a.code();
    if (call instanceof Create c) {
      if (code == null) return when(!z.exists(), new Znode(true, c.data(), 0));
      // NONODE: the parent is missing (another partition's business), so this node is missing too
      return when(code == KeeperCode.NODEEXISTS && z.exists() || code == KeeperCode.NONODE && !z.exists(), z);
    }
    if (call instanceof SetData s) {
      if (code == null) return when(z.exists() && matches(z, s.expectedVersion()) && a.version() == z.version() + 1, z.set(s.data()));
      return when(refusal(z, code, s.expectedVersion()), z);
    }
    if (call instanceof Delete d) {
      if (code == null) return when(z.exists() && matches(z, d.expectedVersion()), Znode.ABSENT);
      return when(refusal(z, code, d.expectedVersion()), z);
    }
    if (code == null) return when(z.exists() && a.version() == z.version() && a.data().equals(z.data()), z);
    return when(code == KeeperCode.NONODE && !z.exists(), z);
  }

  /** A conditional write refused without effect: NONODE on a missing node, BADVERSION on a mismatch. */
  private static boolean refusal(Znode z, KeeperCode code, int expected) {
    return code == KeeperCode.NONODE && !z.exists() || code == KeeperCode.BADVERSION && z.exists() && !matches(z, expected);
  }

  private static boolean matches(Znode z, int expected) {
    return expected == -1 || expected == z.version();
  }

  private static Optional<Znode> when(boolean allowed, Znode next) {
    return allowed ? Optional.of(next) : Optional.empty();
  }

  @Override
  public Znode stepUnknown(Znode z, Call call) {
    if (call instanceof Create c) return z.exists() ? z : new Znode(true, c.data(), 0);
    if (call instanceof SetData s) return z.exists() && matches(z, s.expectedVersion()) ? z.set(s.data()) : z;
    if (call instanceof Delete d) return z.exists() && matches(z, d.expectedVersion()) ? Znode.ABSENT : z;
    return z;
  }

  @Override
  public String partition(Call call) {
    return call.path();
  }
}
