package sim.postgres.wal;

/** Write-path points with structured attributes (a node's {@code ctx.point}); {@link #NONE} drops them. */
public interface Points {
  Points NONE = (name, detail, attributes) -> { };

  void point(String name, String detail, Object... attributes);
}
