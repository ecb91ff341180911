package sim.kafka.group;

import java.util.List;
import java.util.Optional;

/**
 * {@code sticky} (eager): the member's previous assignment travels in its own user data, because an eager
 * member revokes everything before it joins and owns nothing on the wire.
 */
public final class StickyAssignor extends AbstractStickyAssignor {
  public static final String NAME = "sticky";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  protected MemberData memberData(Subscription subscription) {
    Optional<Subscription.StickyUserData> data = subscription.stickyUserData();
    if (data.isEmpty()) return new MemberData(List.of(), Optional.empty());
    return new MemberData(data.get().partitions(), data.get().generation());
  }
}
