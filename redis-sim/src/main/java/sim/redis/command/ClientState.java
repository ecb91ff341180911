package sim.redis.command;

import java.util.ArrayList;
import java.util.List;

/** Per-connection state (Redis's client struct): the selected db and the MULTI queue. */
public final class ClientState {
  private final String name;
  private final long id;
  int db;
  boolean inMulti;
  boolean dirtyExec; // CLIENT_DIRTY_EXEC: a command failed to queue
  final List<List<String>> queued = new ArrayList<>();

  /** A client outside the server's registry (the AOF loader's fake client, tests). */
  public ClientState(String name) {
    this(name, 0);
  }

  public ClientState(String name, long id) {
    this.name = name;
    this.id = id;
  }

  /** CLIENT ID: unique per server incarnation, 0 for clients outside the registry. */
  public long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public int db() {
    return db;
  }

  public void select(int db) {
    this.db = db;
  }

  public boolean inMulti() {
    return inMulti;
  }

  void resetMulti() {
    inMulti = false;
    dirtyExec = false;
    queued.clear();
  }
}
