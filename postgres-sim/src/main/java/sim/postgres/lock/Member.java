package sim.postgres.lock;

import sim.postgres.sql.Ast.RowLockMode;

/**
 * One holder of a tuple's xmax: a transaction that locked the row in {@code mode}, or that updated
 * ({@code update}: NO_KEY_UPDATE) or deleted / key-updated it ({@code update}: UPDATE).
 */
public record Member(int xid, RowLockMode mode, boolean update) {
  @Override
  public String toString() {
    return xid + (update ? (mode == RowLockMode.UPDATE ? "(upd key)" : "(upd)") : "(" + mode.sql.substring(4).toLowerCase(java.util.Locale.ROOT) + ")");
  }
}
