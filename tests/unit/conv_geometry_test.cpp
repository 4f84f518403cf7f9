// Window geometry of Conv / pooling (ops/conv_geometry): the ONNX output-size rules that the node
// tests cover only partly (ceil_mode's last-window rule, SAME_LOWER with strides, 1-D as 2-D).
#include <catch2/catch.hpp>

#include "ops/conv_geometry.h"

using namespace mtc;

namespace {

WindowGeometry geometry(const Attributes &a, std::vector<int64_t> in, std::vector<int64_t> k,
                        bool ceil = true) {
  WindowGeometry g;
  std::string why;
  REQUIRE(window_geometry(a, in, k, ceil, true, g, why));
  return g;
}

}  // namespace

TEST_CASE("ceil_mode drops a last window that would start in the end padding") {
  Attributes a;
  a.set("strides", std::vector<int64_t>{2});
  a.set("ceil_mode", int64_t(1));
  CHECK(geometry(a, {4}, {3}).out == std::vector<int64_t>{2});  // ceil((4-3)/2)+1
  a.set("kernel_shape", std::vector<int64_t>{1});
  CHECK(geometry(a, {2}, {1}).out == std::vector<int64_t>{1});  // window 2 would start at 2 == size
  a.set("pads", std::vector<int64_t>{1, 1});
  CHECK(geometry(a, {5}, {2}).out == std::vector<int64_t>{3});  // start 4 is inside: kept; start 6 is not
  CHECK(geometry(a, {5}, {2}, false).out == std::vector<int64_t>{3});
}

TEST_CASE("auto_pad SAME_UPPER / SAME_LOWER split odd padding differently") {
  Attributes a;
  a.set("auto_pad", std::string("SAME_UPPER"));
  a.set("strides", std::vector<int64_t>{2});
  WindowGeometry up = geometry(a, {7}, {4});
  CHECK(up.out == std::vector<int64_t>{4});
  CHECK(up.pad_begin == std::vector<int64_t>{1});
  CHECK(up.pad_end == std::vector<int64_t>{2});
  a.set("auto_pad", std::string("SAME_LOWER"));
  WindowGeometry low = geometry(a, {7}, {4});
  CHECK(low.pad_begin == std::vector<int64_t>{2});
  CHECK(low.pad_end == std::vector<int64_t>{1});
}

TEST_CASE("dilation widens the window and VALID ignores pads") {
  Attributes a;
  a.set("dilations", std::vector<int64_t>{2, 1});
  a.set("auto_pad", std::string("VALID"));
  a.set("pads", std::vector<int64_t>{5, 5, 5, 5});
  WindowGeometry g = geometry(a, {7, 7}, {3, 3}, false);
  CHECK(g.out == std::vector<int64_t>{3, 5});
  WindowGeometry g2 = as_2d(geometry(Attributes{}, {9}, {4}));
  CHECK(g2.in == std::vector<int64_t>{1, 9});
  CHECK(g2.out == std::vector<int64_t>{1, 6});
}

TEST_CASE("inconsistent window attributes are rejected with a reason") {
  WindowGeometry g;
  std::string why;
  Attributes a;
  CHECK_FALSE(window_geometry(a, {2}, {3}, false, true, g, why));
  CHECK(why.find("larger than the padded input") != std::string::npos);
  a.set("strides", std::vector<int64_t>{0});
  CHECK_FALSE(window_geometry(a, {8}, {3}, false, true, g, why));
  Attributes b;
  b.set("auto_pad", std::string("SAME"));
  CHECK_FALSE(window_geometry(b, {8}, {3}, false, true, g, why));
  Attributes c;
  c.set("kernel_shape", std::vector<int64_t>{2, 2});
  CHECK(pool_window(c, {1, 1, 4, 4}, g, why));
  CHECK_FALSE(pool_window(c, {1, 1, 4, 4, 4}, g, why));
  CHECK(why.find("3-D pooling is not supported") != std::string::npos);
}
