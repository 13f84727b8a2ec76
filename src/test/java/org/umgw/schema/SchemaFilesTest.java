package org.umgw.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.schema.AttributeTypeDefinition;
import com.unboundid.ldap.sdk.schema.ObjectClassDefinition;
import com.unboundid.ldap.sdk.schema.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SchemaFilesTest {

  @ParameterizedTest
  @EnumSource(SchemaFormat.class)
  void shippedFile_equalsWhatTheSourceGenerates(SchemaFormat format) throws Exception {
    String shipped = Files.readString(Path.of("schema", format.fileName()));
    assertThat(shipped)
        .as(
            "schema/%s is out of date: regenerate it with `java -jar target/umgw.jar schema"
                + " --format %s > schema/%s`",
            format.fileName(), format.cliName(), format.fileName())
        .isEqualTo(UmgwSchema.load().format(format));
  }

  @Test
  void everyDefinition_hasDescAndAnOidUnderOurUuidArc() {
    Schema schema = UmgwSchema.load().withStandardSchema();
    String arc = "2.25.113092172882717624280078705840315471326.";
    int attributes = 0;
    for (AttributeTypeDefinition a : schema.getAttributeTypes()) {
      if (a.getNameOrOID().startsWith("um")) {
        assertThat(a.getOID()).startsWith(arc + "1.");
        assertThat(a.getDescription()).as(a.getNameOrOID()).isNotBlank();
        assertThat(a.isSingleValued())
            .as(a.getNameOrOID())
            .isEqualTo(!a.getNameOrOID().equals("umAccessTelephoneNumber"));
        attributes++;
      }
    }
    int classes = 0;
    for (ObjectClassDefinition oc : schema.getObjectClasses()) {
      if (oc.getNameOrOID().startsWith("um")) {
        assertThat(oc.getOID()).startsWith(arc + "2.");
        assertThat(oc.getDescription()).isNotBlank();
        classes++;
      }
    }
    assertThat(attributes).isEqualTo(16);
    assertThat(classes).isEqualTo(4);
  }

  @Test
  void syntaxes_areTheProperOnes() {
    Schema schema = UmgwSchema.load().withStandardSchema();
    assertThat(schema.getAttributeType("umPort").getBaseSyntaxOID())
        .isEqualTo("1.3.6.1.4.1.1466.115.121.1.27");
    assertThat(schema.getAttributeType("umOutcallsAllowed").getBaseSyntaxOID())
        .isEqualTo("1.3.6.1.4.1.1466.115.121.1.7");
    assertThat(schema.getAttributeType("umDialPlanLink").getBaseSyntaxOID())
        .isEqualTo("1.3.6.1.4.1.1466.115.121.1.12");
    assertThat(schema.getAttributeType("umAddress").getBaseSyntaxOID())
        .isEqualTo("1.3.6.1.4.1.1466.115.121.1.26");
    assertThat(schema.getAttributeType("umStatus").getBaseSyntaxOID())
        .isEqualTo("1.3.6.1.4.1.1466.115.121.1.15");
  }
}
