package sim.zk.script;

import sim.zk.tree.EventType;

/** A watch event as a client's default watcher receives it. */
public record ClientEvent(String client, EventType type, String path) {}
