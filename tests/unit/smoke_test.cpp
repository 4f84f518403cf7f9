// Registry sanity: every registered operator has a reference evaluation and a C kernel emitter.
#include <catch2/catch.hpp>

#include "codegen/emitter.h"
#include "ops/op.h"

using namespace mtc;

TEST_CASE("every operator has inference, evaluation and a kernel emitter") {
  auto names = OpRegistry::instance().names();
  REQUIRE(names.size() >= 7);
  for (const std::string &n : names) {
    INFO(n);
    const OpDef *d = OpRegistry::instance().find(n);
    CHECK(d->infer);
    CHECK(d->eval);
    CHECK((d->is_view || d->compile_time_only || EmitterRegistry::instance().find(n) != nullptr));
  }
}
