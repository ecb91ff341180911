package sim.core.lin;

import java.util.Optional;

/**
 * ZooKeeper's znode writes as a versioned key-value map: {@code create} (fails with {@code NODEEXISTS}),
 * {@code setData} and {@code delete} with an expected version ({@code -1}: any; a mismatch fails with
 * {@code BADVERSION}, a missing node with {@code NONODE}), and {@code getData}, which returns the data and
 * its {@code Stat.version}. A created node has version 0; each setData adds one. Paths are checked
 * independently (P-compositionality), so a parent's existence is not modelled: check create/delete of
 * children against the real rule elsewhere.
 *
 * <p>ZooKeeper promises linearizable writes, but a plain read may be served stale by the server the client
 * is connected to; only a read after {@code sync} is linearizable. Record plain reads only where the history
 * is meant to show that difference.
 */
public final class ZnodeModel implements Model<Optional<ZnodeModel.Znode>, ZnodeModel.ZnodeOp, Object> {
  /** A znode's data and version. */
  public record Znode(String data, int version) {}

  /** An operation on one path. */
  public sealed interface ZnodeOp permits Create, SetData, Delete, GetData {
    String path();
  }

  /** Output: {@link #OK} or {@link #NODEEXISTS}. */
  public record Create(String path, String data) implements ZnodeOp {}

  /** Output: the new version ({@code Integer}) or {@link #NONODE}/{@link #BADVERSION}. */
  public record SetData(String path, String data, int expectedVersion) implements ZnodeOp {}

  /** Output: {@link #OK} or {@link #NONODE}/{@link #BADVERSION}. */
  public record Delete(String path, int expectedVersion) implements ZnodeOp {}

  /** Output: the {@link Znode} (data and version) or {@link #NONODE}. */
  public record GetData(String path) implements ZnodeOp {}

  public static final String OK = "OK";
  public static final String NODEEXISTS = "NODEEXISTS";
  public static final String NONODE = "NONODE";
  public static final String BADVERSION = "BADVERSION";

  @Override
  public Optional<Znode> init() {
    return Optional.empty();
  }

  @Override
  public Optional<Optional<Znode>> step(Optional<Znode> node, ZnodeOp op, Object output) {
    Object expected = reply(node, op);
    return expected.equals(output) ? Optional.of(apply(node, op)) : Optional.empty();
  }

  @Override
  public Optional<Znode> stepUnknown(Optional<Znode> node, ZnodeOp op) {
    return apply(node, op);
  }

  @Override
  public String partition(ZnodeOp op) {
    return op.path();
  }

  /** What the real server answers in this state. */
  static Object reply(Optional<Znode> node, ZnodeOp op) {
    if (op instanceof Create) return node.isPresent() ? NODEEXISTS : OK;
    if (node.isEmpty()) return NONODE;
    Znode n = node.get();
    if (op instanceof GetData) return n;
    int expected = op instanceof SetData s ? s.expectedVersion() : ((Delete) op).expectedVersion();
    if (expected != -1 && expected != n.version()) return BADVERSION;
    return op instanceof SetData ? (Object) (n.version() + 1) : OK;
  }

  /** The state after the operation, when it succeeds; unchanged when it fails. */
  static Optional<Znode> apply(Optional<Znode> node, ZnodeOp op) {
    Object r = reply(node, op);
    if (op instanceof Create c) return r.equals(OK) ? Optional.of(new Znode(c.data(), 0)) : node;
    if (op instanceof SetData s) return r instanceof Integer v ? Optional.of(new Znode(s.data(), v)) : node;
    if (op instanceof Delete) return r.equals(OK) ? Optional.empty() : node;
    return node;
  }
}
