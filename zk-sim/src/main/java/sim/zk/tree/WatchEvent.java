package sim.zk.tree;

/** One watch firing: which session's watch, what happened, where, at which zxid. */
public record WatchEvent(long sessionId, EventType type, String path, long zxid) {}
