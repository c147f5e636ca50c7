package handler

// open lists the regions no outcome has been decided for yet.
func (r *ImageResult) open() []string {
	var out []string
	for _, rr := range r.Regions {
		if rr.Status == "" {
			out = append(out, rr.Region)
		}
	}
	return out
}

// decide records the outcomes of some regions.
func (r *ImageResult) decide(rs ...RegionResult) {
	for _, d := range rs {
		for i := range r.Regions {
			if r.Regions[i].Region == d.Region {
				r.Regions[i] = d
			}
		}
	}
}

// fail gives every undecided region the same failure.
func (r *ImageResult) fail(e *ErrorInfo) {
	for _, region := range r.open() {
		r.decide(RegionResult{Region: region, Status: StatusFailed, Error: e})
	}
}

// severity orders region statuses from worst to best. An image is
// reported done only when every region is: any failed → failed, else any
// deferred → deferred, else any not reached → not-reached, else any
// started → started, else any in backoff (the sweep) → backoff, else
// already-distributed. The sweep's refused and other-version count as failed.
var severity = map[Status]int{StatusFailed: 0, StatusRefused: 0, StatusOtherVersion: 0, StatusDeferred: 1, StatusNotReached: 2,
	StatusStarted: 3, StatusBackoff: 4, StatusAlready: 5, StatusDryRun: 6}

// settle derives the image's outcome from its regions. The worst region
// is the first, in destination order, with the worst status, a retryable
// error counting as worse than a permanent one; it lends the image its
// status, task ID, request ID and error. The error is retryable when any
// region's is, so a permanent failure in one region does not keep FC from
// redelivering for another.
func (r *ImageResult) settle() {
	worst, retry := -1, false
	for i, rr := range r.Regions {
		if worst < 0 || worse(rr, r.Regions[worst]) {
			worst = i
		}
		retry = retry || retryable(rr)
	}
	if worst < 0 {
		return
	}
	w := r.Regions[worst]
	r.Status, r.TaskID, r.APIRequestID, r.Error = w.Status, w.TaskID, w.APIRequestID, w.Error
	if w.Error != nil && retry && !w.Error.Retryable {
		e := *w.Error
		e.Retryable = true
		r.Error = &e
	}
}

func worse(a, b RegionResult) bool {
	if severity[a.Status] != severity[b.Status] {
		return severity[a.Status] < severity[b.Status]
	}
	return retryable(a) && !retryable(b)
}

func retryable(r RegionResult) bool { return r.Error != nil && r.Error.Retryable }

// needsPerson reports a failure no redelivery can fix, in the image or in
// any of its regions, unless the sweep holds it until its next step.
func (r ImageResult) needsPerson() bool {
	if r.betweenSteps {
		return false
	}
	if r.Status == StatusFailed && r.Error != nil && !r.Error.Retryable {
		return true
	}
	return len(r.failedForGood()) > 0
}

// failedForGood lists the regions that failed with no retry to come.
func (r ImageResult) failedForGood() []string {
	var out []string
	for _, rr := range r.Regions {
		if rr.Status == StatusFailed && !retryable(rr) {
			out = append(out, rr.Region)
		}
	}
	return out
}
