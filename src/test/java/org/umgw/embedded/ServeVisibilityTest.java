package org.umgw.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Filter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServeVisibilityTest {
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "userPassword,true",
    "USERPASSWORD;binary,true",
    "authPassword,true",
    "sambaNTPassword,true",
    "unicodePwd,true",
    "cn,false",
    "umAddress,false",
    "description,false"
  })
  void passwordLikeAttributes(String name, boolean password) {
    assertThat(ServeVisibility.isPasswordAttribute(name)).isEqualTo(password);
  }

  @Test
  void changeText_losesPasswordLinesAndModifications_keepsTheRest() {
    String add =
        "objectClass: person\ncn: p1\nuserPassword:: c2VjcmV0\n  continued\nsn: p\n"
            + "authPassword: x\ndescription: kept\n";
    assertThat(ServeVisibility.stripPasswords(add))
        .isEqualTo("objectClass: person\ncn: p1\nsn: p\ndescription: kept\n");
    String modify =
        "replace: description\ndescription: new\n-\nreplace: userPassword\n"
            + "userPassword: secret2\n-\nadd: sn\nsn: q\n-\n";
    assertThat(ServeVisibility.stripPasswords(modify))
        .isEqualTo("replace: description\ndescription: new\n-\nadd: sn\nsn: q\n-\n");
  }

  @Test
  void filters_testingAPassword_matchNothing_othersAreKept() throws Exception {
    Filter f = Filter.create("(&(cn=p1)(|(userPassword=secret)(sn=p))(!(authPassword=*)))");
    assertThat(ServeVisibility.withoutPasswordTests(f).toString())
        .isEqualTo("(&(cn=p1)(|(|)(sn=p))(!(|)))");
    Filter plain = Filter.create("(cn=p1)");
    assertThat(ServeVisibility.withoutPasswordTests(plain)).isSameAs(plain);
  }
}
