// franz-go driver for the compatibility suite: reads one JSON request on stdin, prints one JSON
// result line. Built by tools/compat/src/clients.ts with the module cache under ~/.cache/stratus.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

type request struct {
	Op         string `json:"op"`
	Topic      string `json:"topic"`
	Partitions int32  `json:"partitions"`
	Codec      string `json:"codec"`
	Count      int    `json:"count"`
	Idempotent bool   `json:"idempotent"`
	Expect     int    `json:"expect"`
	Group      string `json:"group"`
	Members    int    `json:"members"`
	FirstBatch int    `json:"firstBatch"`
	Name       string `json:"name"`
	Value      string `json:"value"`
	TimeoutMs  int    `json:"timeoutMs"`
	Connection struct {
		Bootstrap string `json:"bootstrap"`
		Mechanism string `json:"mechanism"`
		Username  string `json:"username"`
		Password  string `json:"password"`
	} `json:"connection"`
}

type record struct {
	P int32  `json:"p"`
	O string `json:"o"`
	K string `json:"k"`
	V string `json:"v"`
	M int    `json:"m"`
}

type result struct {
	Ok       bool              `json:"ok"`
	Error    string            `json:"error,omitempty"`
	Produced int               `json:"produced,omitempty"`
	Records  []record          `json:"records,omitempty"`
	Configs  map[string]string `json:"configs,omitempty"`
	Refused  *bool             `json:"refused,omitempty"`
	Topics   []string          `json:"topics,omitempty"`
}

func options(r request, extra ...kgo.Opt) []kgo.Opt {
	opts := []kgo.Opt{kgo.SeedBrokers(strings.Split(r.Connection.Bootstrap, ",")...)}
	if r.Connection.Mechanism == "PLAIN" {
		opts = append(opts, kgo.SASL(plain.Auth{User: r.Connection.Username, Pass: r.Connection.Password}.AsMechanism()))
	} else {
		opts = append(opts, kgo.SASL(scram.Auth{User: r.Connection.Username, Pass: r.Connection.Password}.AsSha256Mechanism()))
	}
	return append(opts, extra...)
}

var codecs = map[string]kgo.CompressionCodec{"none": kgo.NoCompression(), "gzip": kgo.GzipCompression(), "snappy": kgo.SnappyCompression(), "lz4": kgo.Lz4Compression(), "zstd": kgo.ZstdCompression()}

type collector struct {
	mu      sync.Mutex
	records []record
}

func (c *collector) add(rec *kgo.Record, member int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.records = append(c.records, record{P: rec.Partition, O: strconv.FormatInt(rec.Offset, 10), K: string(rec.Key), V: string(rec.Value), M: member})
}

func (c *collector) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.records)
}

// consume polls until the collector holds `expect` records, `stop` says so, or the context ends;
// with commit it commits exactly the records it handed on (kgo's uncommitted = polled).
func consume(ctx context.Context, cl *kgo.Client, col *collector, member, expect int, stop func() bool, commit bool) error {
	for col.len() < expect && (stop == nil || !stop()) {
		fetches := cl.PollRecords(ctx, 100)
		if ctx.Err() != nil {
			return fmt.Errorf("timed out: consumed %d of %d", col.len(), expect)
		}
		fetches.EachRecord(func(rec *kgo.Record) { col.add(rec, member) })
	}
	if commit {
		return cl.CommitUncommittedOffsets(context.Background())
	}
	return nil
}

func configs(ctx context.Context, adm *kadm.Client, topic string) (map[string]string, error) {
	described, err := adm.DescribeTopicConfigs(ctx, topic)
	if err != nil {
		return nil, err
	}
	rc, err := described.On(topic, nil)
	if err != nil {
		return nil, err
	}
	if rc.Err != nil {
		return nil, rc.Err
	}
	out := map[string]string{}
	for _, c := range rc.Configs {
		out[c.Key] = c.MaybeValue()
	}
	return out, nil
}

func topics(ctx context.Context, adm *kadm.Client) ([]string, error) {
	listed, err := adm.ListTopics(ctx)
	if err != nil {
		return nil, err
	}
	return listed.Names(), nil
}

func handle(r request) result {
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(r.TimeoutMs)*time.Millisecond)
	defer cancel()
	fail := func(err error) result { return result{Ok: false, Error: err.Error()} }
	switch r.Op {
	case "create-topic", "describe-configs", "alter-config", "delete-topic", "auth":
		cl, err := kgo.NewClient(options(r)...)
		if err != nil {
			return fail(err)
		}
		defer cl.Close()
		adm := kadm.NewClient(cl)
		switch r.Op {
		case "create-topic":
			res, err := adm.CreateTopic(ctx, r.Partitions, -1, nil, r.Topic)
			if err == nil {
				err = res.Err
			}
			if err != nil {
				return fail(err)
			}
			names, err := topics(ctx, adm)
			if err != nil {
				return fail(err)
			}
			return result{Ok: true, Topics: names}
		case "describe-configs":
			c, err := configs(ctx, adm, r.Topic)
			if err != nil {
				return fail(err)
			}
			return result{Ok: true, Configs: c}
		case "alter-config":
			value := r.Value
			res, err := adm.AlterTopicConfigs(ctx, []kadm.AlterConfig{{Op: kadm.SetConfig, Name: r.Name, Value: &value}}, r.Topic)
			if err == nil {
				_, err = res.On(r.Topic, nil)
			}
			if err != nil {
				return fail(err)
			}
			c, err := configs(ctx, adm, r.Topic)
			if err != nil {
				return fail(err)
			}
			return result{Ok: true, Configs: c}
		case "delete-topic":
			res, err := adm.DeleteTopic(ctx, r.Topic)
			if err == nil {
				err = res.Err
			}
			if err != nil {
				return fail(err)
			}
			names, err := topics(ctx, adm)
			if err != nil {
				return fail(err)
			}
			return result{Ok: true, Topics: names}
		default: // auth
			_, err := adm.ListTopics(ctx)
			refused := err != nil && (errors.Is(err, kerr.SaslAuthenticationFailed) || strings.Contains(strings.ToLower(err.Error()), "authentication"))
			out := result{Ok: true, Refused: &refused}
			if err != nil {
				out.Error = err.Error()
			}
			return out
		}
	case "produce":
		extra := []kgo.Opt{kgo.ProducerBatchCompression(codecs[r.Codec]), kgo.RequiredAcks(kgo.AllISRAcks())}
		if !r.Idempotent {
			extra = append(extra, kgo.DisableIdempotentWrite())
		}
		cl, err := kgo.NewClient(options(r, extra...)...)
		if err != nil {
			return fail(err)
		}
		defer cl.Close()
		var mu sync.Mutex
		var firstErr error
		acked := 0
		for i := 0; i < r.Count; i++ {
			rec := &kgo.Record{Topic: r.Topic, Key: []byte(fmt.Sprintf("k%d", i)), Value: []byte(fmt.Sprintf("%s-%d", r.Codec, i))}
			cl.Produce(ctx, rec, func(_ *kgo.Record, err error) {
				mu.Lock()
				defer mu.Unlock()
				if err != nil && firstErr == nil {
					firstErr = err
				} else if err == nil {
					acked++
				}
			})
		}
		if err := cl.Flush(ctx); err != nil {
			return fail(err)
		}
		if firstErr != nil {
			return fail(firstErr)
		}
		return result{Ok: true, Produced: acked}
	case "consume-assign":
		// ConsumeTopics without a group: kgo assigns every partition itself and fetches directly.
		cl, err := kgo.NewClient(options(r, kgo.ConsumeTopics(r.Topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))...)
		if err != nil {
			return fail(err)
		}
		defer cl.Close()
		col := &collector{}
		if err := consume(ctx, cl, col, 0, r.Expect, nil, false); err != nil {
			return fail(err)
		}
		return result{Ok: true, Records: col.records}
	case "consume-group":
		col := &collector{}
		errs := make([]error, r.Members)
		var wg sync.WaitGroup
		for m := 0; m < r.Members; m++ {
			wg.Add(1)
			go func(m int) {
				defer wg.Done()
				cl, err := kgo.NewClient(options(r, kgo.ConsumeTopics(r.Topic), kgo.ConsumerGroup(r.Group), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))...)
				if err != nil {
					errs[m] = err
					return
				}
				defer cl.Close()
				errs[m] = consume(ctx, cl, col, m, r.Expect, nil, false)
			}(m)
		}
		wg.Wait()
		if col.len() < r.Expect {
			return fail(fmt.Errorf("the group consumed %d of %d: %v", col.len(), r.Expect, errors.Join(errs...)))
		}
		return result{Ok: true, Records: col.records}
	case "commit-resume":
		col := &collector{}
		for phase := 0; phase < 2; phase++ {
			cl, err := kgo.NewClient(options(r, kgo.ConsumeTopics(r.Topic), kgo.ConsumerGroup(r.Group), kgo.DisableAutoCommit(), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))...)
			if err != nil {
				return fail(err)
			}
			var stop func() bool
			if phase == 0 {
				stop = func() bool { return col.len() >= r.FirstBatch }
			}
			err = consume(ctx, cl, col, phase, r.Expect, stop, true)
			cl.Close()
			if err != nil {
				return fail(err)
			}
		}
		return result{Ok: true, Records: col.records}
	}
	return fail(fmt.Errorf("unknown op %s", r.Op))
}

func main() {
	var r request
	out := result{Ok: false, Error: "no request"}
	if err := json.NewDecoder(os.Stdin).Decode(&r); err != nil {
		out.Error = "bad request: " + err.Error()
	} else {
		out = handle(r)
	}
	encoded, _ := json.Marshal(out)
	fmt.Printf("\n%s\n", encoded)
}
