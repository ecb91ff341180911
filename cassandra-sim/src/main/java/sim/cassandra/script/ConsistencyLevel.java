package sim.cassandra.script;

import java.util.Locale;

/** Cassandra's consistency levels with their native-protocol codes. */
public enum ConsistencyLevel {
  ANY(0x0000), ONE(0x0001), TWO(0x0002), THREE(0x0003), QUORUM(0x0004), ALL(0x0005), LOCAL_QUORUM(0x0006),
  EACH_QUORUM(0x0007), SERIAL(0x0008), LOCAL_SERIAL(0x0009), LOCAL_ONE(0x000A);

  public final int code;

  ConsistencyLevel(int code) {
    this.code = code;
  }

  public static ConsistencyLevel parse(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public boolean isSerial() {
    return this == SERIAL || this == LOCAL_SERIAL;
  }

  public boolean isDatacenterLocal() {
    return this == LOCAL_ONE || this == LOCAL_QUORUM || this == LOCAL_SERIAL;
  }
}
