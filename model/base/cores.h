/* cores: how many worker threads a parallel job of ctview starts (the loader, the path index builds). */
#ifndef CTVIEW_CORES_H
#define CTVIEW_CORES_H

#define CORES_MAX 16

/* The number of online cores, or CTVIEW_THREADS when set to a positive number (for measuring the same
 * job on fewer cores); between 1 and CORES_MAX. */
int cores_count(void);

#endif
