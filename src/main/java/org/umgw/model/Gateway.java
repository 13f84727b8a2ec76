package org.umgw.model;

import static java.util.Objects.requireNonNull;

/**
 * A UM IP gateway: one SIP peer device (VoIP gateway, IP PBX or session border controller).
 *
 * <pre>{@code
 * Gateway gw = Gateway.builder("Contoso-SBC1", "192.0.2.10").port(5060).build();
 * Gateway off = gw.withStatus(GatewayStatus.NoNewCalls);
 * }</pre>
 *
 * <p>An IP literal must agree with the address family; when no family is given one is derived from
 * the literal (IPv4Only for an FQDN, as in Exchange).
 *
 * @param port 0 means the default of the transport: 5060 for TCP/UDP, 5061 for TLS
 * @param description free text, or {@code null}
 */
public record Gateway(
    String name,
    GatewayAddress address,
    int port,
    IpAddressFamily ipAddressFamily,
    GatewayStatus status,
    boolean outcallsAllowed,
    boolean messageWaitingIndicatorAllowed,
    boolean simulator,
    boolean delayedSourcePartyInfoEnabled,
    String description) {

  public static final int MAX_PORT = 65535;

  /**
   * @throws InvalidValueException naming the gateway, the attribute and the value
   */
  public Gateway {
    requireNonNull(name, "name == null");
    ObjectRef ref = ObjectRef.gateway(name);
    Names.check(ref, name);
    requireNonNull(address, "address == null");
    requireNonNull(ipAddressFamily, "ipAddressFamily == null");
    requireNonNull(status, "status == null");
    if (port < 0 || port > MAX_PORT) {
      throw new InvalidValueException(
          ref, "umPort", Integer.toString(port), "a port is 0 to " + MAX_PORT);
    }
    if (!address.agreesWith(ipAddressFamily)) {
      throw new InvalidValueException(
          ref,
          "umIPAddressFamily",
          ipAddressFamily.name(),
          "does not admit the "
              + (address.kind() == GatewayAddress.Kind.IPV4 ? "IPv4" : "IPv6")
              + " literal address "
              + address.text());
    }
  }

  /**
   * Starts a gateway with Exchange's defaults: Enabled, outcalls and MWI allowed, port 0.
   *
   * @throws InvalidValueException when {@code address} does not parse
   */
  public static Builder builder(String name, String address) {
    return new Builder(name, parseAddress(name, address));
  }

  public static Builder builder(String name, GatewayAddress address) {
    return new Builder(name, address);
  }

  /**
   * @throws InvalidValueException naming the gateway and the address when it does not parse
   */
  public static GatewayAddress parseAddress(String gateway, String address) {
    try {
      return GatewayAddress.parse(address);
    } catch (IllegalArgumentException e) {
      throw new InvalidValueException(
          ObjectRef.gateway(gateway), "umAddress", address, e.getMessage());
    }
  }

  public ObjectRef ref() {
    return ObjectRef.gateway(name);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public Gateway withStatus(GatewayStatus newStatus) {
    return toBuilder().status(newStatus).build();
  }

  /** Builder for the many optional properties; unset ones keep Exchange's defaults. */
  public static final class Builder {
    private final String name;
    private GatewayAddress address;
    private int port;
    private IpAddressFamily ipAddressFamily;
    private GatewayStatus status = GatewayStatus.Enabled;
    private boolean outcallsAllowed = true;
    private boolean messageWaitingIndicatorAllowed = true;
    private boolean simulator;
    private boolean delayedSourcePartyInfoEnabled;
    private String description;

    private Builder(String name, GatewayAddress address) {
      this.name = name;
      this.address = address;
    }

    private Builder(Gateway g) {
      this.name = g.name;
      this.address = g.address;
      this.port = g.port;
      this.ipAddressFamily = g.ipAddressFamily;
      this.status = g.status;
      this.outcallsAllowed = g.outcallsAllowed;
      this.messageWaitingIndicatorAllowed = g.messageWaitingIndicatorAllowed;
      this.simulator = g.simulator;
      this.delayedSourcePartyInfoEnabled = g.delayedSourcePartyInfoEnabled;
      this.description = g.description;
    }

    /**
     * Changes the address; a family derived from the old literal follows the new one, as in
     * Set-UMIPGateway.
     */
    public Builder address(GatewayAddress newAddress) {
      if (ipAddressFamily != null
          && address.impliedFamily().isPresent()
          && address.impliedFamily().get() == ipAddressFamily
          && newAddress.isIpLiteral()) {
        ipAddressFamily = null;
      }
      this.address = newAddress;
      return this;
    }

    public Builder address(String newAddress) {
      return address(parseAddress(name, newAddress));
    }

    public Builder port(int value) {
      this.port = value;
      return this;
    }

    /** {@code null} derives the family from the address. */
    public Builder ipAddressFamily(IpAddressFamily value) {
      this.ipAddressFamily = value;
      return this;
    }

    public Builder status(GatewayStatus value) {
      this.status = requireNonNull(value, "status == null");
      return this;
    }

    public Builder outcallsAllowed(boolean value) {
      this.outcallsAllowed = value;
      return this;
    }

    public Builder messageWaitingIndicatorAllowed(boolean value) {
      this.messageWaitingIndicatorAllowed = value;
      return this;
    }

    public Builder simulator(boolean value) {
      this.simulator = value;
      return this;
    }

    public Builder delayedSourcePartyInfoEnabled(boolean value) {
      this.delayedSourcePartyInfoEnabled = value;
      return this;
    }

    public Builder description(String value) {
      this.description = value;
      return this;
    }

    /**
     * @throws InvalidValueException when a property breaks the gateway's constraints
     */
    public Gateway build() {
      IpAddressFamily family =
          ipAddressFamily != null
              ? ipAddressFamily
              : address.impliedFamily().orElse(IpAddressFamily.IPv4Only);
      return new Gateway(
          name,
          address,
          port,
          family,
          status,
          outcallsAllowed,
          messageWaitingIndicatorAllowed,
          simulator,
          delayedSourcePartyInfoEnabled,
          description);
    }
  }
}
