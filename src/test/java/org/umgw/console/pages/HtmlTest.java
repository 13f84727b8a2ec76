package org.umgw.console.pages;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void textAndAttributeValuesAreEscaped() {
    String payload = "\"><script>alert('x')</script>&";
    String html =
        new Html()
            .el("td", payload, "title", payload)
            .link("/gateway?name=" + payload, payload)
            .toString();
    assertThat(html)
        .doesNotContain("<script>")
        .doesNotContain("\"><")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;")
        .contains("title=\"&quot;&gt;&lt;script&gt;");
  }

  @Test
  void controlCharactersAreReplacedAndNullWritesNothing() {
    assertThat(new Html().text("a\u0000b\u001bc\nd").toString()).isEqualTo("a\uFFFDb\uFFFDc\nd");
    assertThat(new Html().text(null).toString()).isEmpty();
  }

  @Test
  void nullAttributesAreLeftOutAndEmptyOnesAreBare() {
    assertThat(new Html().empty("input", "required", "", "disabled", null).toString())
        .isEqualTo("<input required>");
  }
}
