package org.umgw.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedAddRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.umgw.model.Gateway;
import org.umgw.rules.Rule;
import org.umgw.rules.RuleViolationException;
import org.umgw.testing.InMemoryLdap;

/**
 * Finding 4, check-then-act: another writer takes the address after the store's uniqueness check
 * and before its write. The server here enforces nothing, as slapd without the overlays; an
 * interceptor makes the other writer act at exactly that moment, through its own connection.
 */
class DirectoryStoreAddressRaceTest {
  private final AtomicReference<Runnable> beforeNextGatewayWrite = new AtomicReference<>();
  private InMemoryLdap ldap;
  private LDAPConnectionPool pool;
  private DirectoryStore store;

  @BeforeEach
  void start() {
    ldap =
        InMemoryLdap.start(
            new InMemoryOperationInterceptor() {
              @Override
              public void processAddRequest(InMemoryInterceptedAddRequest request) {
                if (request.getRequest().getDN().startsWith("cn=racer,")) {
                  runOtherWriter();
                }
              }

              @Override
              public void processModifyRequest(InMemoryInterceptedModifyRequest request) {
                if (request.getRequest().getDN().startsWith("cn=racer,")) {
                  runOtherWriter();
                }
              }
            });
    pool = ldap.pool();
    store = new DirectoryStore(pool, DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE));
    store.init();
  }

  @AfterEach
  void stop() {
    pool.close();
    ldap.close();
  }

  private void runOtherWriter() {
    Runnable other = beforeNextGatewayWrite.getAndSet(null);
    if (other != null) {
      CompletableFuture.runAsync(other).join();
    }
  }

  private void otherWriterCreates(String name, String address) {
    beforeNextGatewayWrite.set(
        () -> {
          try {
            pool.add(
                "dn: " + store.layout().gateway(name),
                "objectClass: umIPGateway",
                "cn: " + name,
                "umAddress: " + address);
          } catch (LDAPException | com.unboundid.ldif.LDIFException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void createGateway_addressTakenBetweenCheckAndAdd_refusedAndUndone() {
    otherWriterCreates("other", "2001:DB8:0:0::10");

    assertThatThrownBy(
            () -> store.createGateway(Gateway.builder("racer", "2001:db8::10").build(), null))
        .isInstanceOfSatisfying(
            RuleViolationException.class,
            e -> {
              assertThat(e.violations()).hasSize(1);
              assertThat(e.violations().get(0).rule()).isEqualTo(Rule.ADDRESS_UNIQUE);
              assertThat(e.violations().get(0).toString())
                  .isEqualTo(
                      "UM IP gateway \"racer\": umAddress \"2001:db8::10\": already the address of"
                          + " UM IP gateway \"other\"");
            });
    assertThat(store.gateway("racer")).isEmpty();
    assertThat(store.gateway("other")).isPresent();
  }

  @Test
  void updateGateway_addressTakenBetweenCheckAndModify_refusedAndUndone() {
    store.createGateway(Gateway.builder("racer", "192.0.2.1").port(5070).build(), null);
    otherWriterCreates("other", "GW.Example.TEST");

    assertThatThrownBy(
            () ->
                store.updateGateway(
                    "racer", g -> g.toBuilder().address("gw.example.test").port(5080).build()))
        .isInstanceOfSatisfying(
            RuleViolationException.class,
            e -> assertThat(e.violations().get(0).rule()).isEqualTo(Rule.ADDRESS_UNIQUE));
    Gateway racer = store.requireGateway("racer");
    assertThat(racer.address().text()).isEqualTo("192.0.2.1");
    assertThat(racer.port()).isEqualTo(5070);
  }
}
