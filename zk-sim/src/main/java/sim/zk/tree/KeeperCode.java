package sim.zk.tree;

/** {@code KeeperException.Code}: the error codes a ZooKeeper client sees, with their wire values. */
public enum KeeperCode {
  OK(0),
  SYSTEMERROR(-1),
  RUNTIMEINCONSISTENCY(-2),
  DATAINCONSISTENCY(-3),
  CONNECTIONLOSS(-4),
  MARSHALLINGERROR(-5),
  UNIMPLEMENTED(-6),
  OPERATIONTIMEOUT(-7),
  BADARGUMENTS(-8),
  UNKNOWNSESSION(-12),
  APIERROR(-100),
  NONODE(-101),
  NOAUTH(-102),
  BADVERSION(-103),
  NOCHILDRENFOREPHEMERALS(-108),
  NODEEXISTS(-110),
  NOTEMPTY(-111),
  SESSIONEXPIRED(-112),
  INVALIDCALLBACK(-113),
  INVALIDACL(-114),
  AUTHFAILED(-115),
  SESSIONMOVED(-118),
  NOTREADONLY(-119),
  EPHEMERALONLOCALSESSION(-120),
  NOWATCHER(-121),
  REQUESTTIMEOUT(-122);

  private final int intValue;

  KeeperCode(int intValue) {
    this.intValue = intValue;
  }

  public int intValue() {
    return intValue;
  }
}
