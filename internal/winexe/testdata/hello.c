/* A tiny Windows program for the tests of package winexe (see make.sh). */
#include <windows.h>
int WINAPI WinMain(HINSTANCE a, HINSTANCE b, LPSTR c, int d) { return 0; }
int main(void) { return 0; }
