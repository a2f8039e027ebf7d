// The fragmentation examples of the v3 and v4 specs ("Fragmentation",
// "Receiving Fragments"): a Data Message and the three fragments each spec
// splits it into (line breaks removed).
#ifndef OTR_TESTS_WIRE_SPEC_EXAMPLE_H_
#define OTR_TESTS_WIRE_SPEC_EXAMPLE_H_

namespace otr::wire::testing {

inline constexpr const char* kSpecDataMessage =
    "?OTR:AAMDJ+MVmSfjFZcAAAAAAQAAAAIAAADA1g5IjD1ZGLDVQEyCgCyn9hb"
    "rL3KAbGDdzE2ZkMyTKl7XfkSxh8YJnudstiB74i4BzT0W2haClg6dMary/jo"
    "9sMudwmUdlnKpIGEKXWdvJKT+hQ26h9nzMgEditLB8vjPEWAJ6gBXvZrY6ZQ"
    "rx3gb4v0UaSMOMiR5sB7Eaulb2Yc6RmRnnlxgUUC2alosg4WIeFN951PLjSc"
    "ajVba6dqlDi+q1H5tPvI5SWMN7PCBWIJ41+WvF+5IAZzQZYgNaVLbAAAAAAA"
    "AAAEAAAAHwNiIi5Ms+4PsY/L2ipkTtquknfx6HodLvk3RAAAAAA==.";

inline constexpr const char* kSpecFragments[3] = {
    "?OTR|5a73a599|27e31597,00001,00003,?OTR:AAMDJ+MVmSfjFZcAAAAA"
    "AQAAAAIAAADA1g5IjD1ZGLDVQEyCgCyn9hbrL3KAbGDdzE2ZkMyTKl7XfkSx"
    "h8YJnudstiB74i4BzT0W2haClg6dMary/jo9sMudwmUdlnKpIGEKXWdvJKT+"
    "hQ26h9nzMgEditLB8v,",
    "?OTR|5a73a599|27e31597,00002,00003,jPEWAJ6gBXvZrY6ZQrx3gb4v0"
    "UaSMOMiR5sB7Eaulb2Yc6RmRnnlxgUUC2alosg4WIeFN951PLjScajVba6dq"
    "lDi+q1H5tPvI5SWMN7PCBWIJ41+WvF+5IAZzQZYgNaVLbAAAAAAAAAAEAAAA"
    "HwNiIi5Ms+4PsY/L2i,",
    "?OTR|5a73a599|27e31597,00003,00003,pkTtquknfx6HodLvk3RAAAAAA"
    "==.,",
};

// The fragmentation example of the v4 spec ("Receiving Fragments"): the same
// Data Message in three v4 fragments, identifier 0x3c5b5f03.
inline constexpr const char* kSpecV4Fragments[3] = {
    "?OTR|3c5b5f03|5a73a599|27e31597,00001,00003,?OTR:AAMDJ+MVmSfjFZcAAAAA"
    "AQAAAAIAAADA1g5IjD1ZGLDVQEyCgCyn9hbrL3KAbGDdzE2ZkMyTKl7XfkSx"
    "h8YJnudstiB74i4BzT0W2haClg6dMary/jo9sMudwmUdlnKpIGEKXWdvJKT+"
    "hQ26h9nzMgEditLB8v,",
    "?OTR|3c5b5f03|5a73a599|27e31597,00002,00003,jPEWAJ6gBXvZrY6ZQrx3gb4v0"
    "UaSMOMiR5sB7Eaulb2Yc6RmRnnlxgUUC2alosg4WIeFN951PLjScajVba6dq"
    "lDi+q1H5tPvI5SWMN7PCBWIJ41+WvF+5IAZzQZYgNaVLbAAAAAAAAAAEAAAA"
    "HwNiIi5Ms+4PsY/L2i,",
    "?OTR|3c5b5f03|5a73a599|27e31597,00003,00003,pkTtquknfx6HodLvk3RAAAAAA"
    "==.,",
};

}  // namespace otr::wire::testing

#endif  // OTR_TESTS_WIRE_SPEC_EXAMPLE_H_
