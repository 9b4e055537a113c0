/* Like hello.c, but it needs libwinpthread-1.dll, which Windows does not ship. */
#include <pthread.h>
#include <windows.h>
static void *run(void *a) { return a; }
int WINAPI WinMain(HINSTANCE a, HINSTANCE b, LPSTR c, int d) {
  pthread_t t;
  return pthread_create(&t, 0, run, 0);
}
