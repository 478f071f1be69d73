/* The floor of the kvm boot benchmark: an init that prints one line and powers off at once.
   Built static, so the initramfs holds this file and nothing else. Not part of any image. */
#include <sys/reboot.h>
#include <unistd.h>

int main(void) {
    static const char line[] = "Hello World!\n";
    write(1, line, sizeof line - 1);
    sync();
    reboot(RB_POWER_OFF);
    return 0;
}
