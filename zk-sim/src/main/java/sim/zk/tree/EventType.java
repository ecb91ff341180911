package sim.zk.tree;

/** {@code Watcher.Event.EventType}: what a one-shot watch reports. */
public enum EventType {
  NodeCreated,
  NodeDeleted,
  NodeDataChanged,
  NodeChildrenChanged
}
