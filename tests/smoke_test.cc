#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <decaf/point_448.h>
#include <gcrypt.h>
#include <rapidcheck.h>
TEST(Smoke, Links) { EXPECT_TRUE(gcry_check_version(nullptr) != nullptr); unsigned char o[32]; SHA256((const unsigned char*)"a",1,o); EXPECT_NE(o[0],0); }
