// vcsim: the embedded vCenter simulator for image-builder (`image-builder sim start`).
//
// It is govmomi's simulator (Debian's golang-github-vmware-govmomi-dev, built in GOPATH mode:
// nothing is downloaded) with a VPX inventory, served on 127.0.0.1 only, with TLS from a
// 2048-bit CA and server certificate made at start (the simulator's own 1024-bit certificate
// is rejected by OpenSSL 3). SOAP at /sdk, the legacy REST API at /rest, datastore files at
// /folder. It writes ca.pem and endpoint.json into -dir, then serves until SIGTERM or SIGINT.
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/vmware/govmomi/simulator"
	_ "github.com/vmware/govmomi/vapi/simulator"
)

type endpoint struct {
	URL      string `json:"url"`
	Host     string `json:"host"`
	Username string `json:"username"`
	Password string `json:"password"`
	CAFile   string `json:"ca_file"`
	PID      int    `json:"pid"`
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "vcsim: "+format+"\n", args...)
	os.Exit(1)
}

func password() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
	b := make([]byte, 20)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			fail("random: %v", err)
		}
		b[i] = alphabet[n.Int64()]
	}
	return string(b)
}

// certificates makes a CA and a server certificate for 127.0.0.1 and localhost signed by it.
func certificates(dir string) (tls.Certificate, string) {
	caKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		fail("CA key: %v", err)
	}
	now := time.Now()
	caTemplate := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "image-builder simulator CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(7 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		fail("CA certificate: %v", err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	serverKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		fail("server key: %v", err)
	}
	serverTemplate := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(7 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost"},
	}
	serverDER, err := x509.CreateCertificate(rand.Reader, serverTemplate, caCert, &serverKey.PublicKey, caKey)
	if err != nil {
		fail("server certificate: %v", err)
	}
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o644); err != nil {
		fail("%v", err)
	}
	return tls.Certificate{Certificate: [][]byte{serverDER, caDER}, PrivateKey: serverKey}, caFile
}

// countingReader counts the bytes a request body delivered.
type countingReader struct {
	inner io.ReadCloser
	total int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.inner.Read(p)
	c.total += int64(n)
	return n, err
}

func (c *countingReader) Close() error { return c.inner.Close() }

func main() {
	dir := flag.String("dir", "", "state folder (ca.pem, endpoint.json)")
	port := flag.Int("port", 0, "port on 127.0.0.1 (0: any free one)")
	flag.Parse()
	if *dir == "" {
		fail("-dir is required")
	}
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		fail("%v", err)
	}
	pair, caFile := certificates(*dir)
	user, pass := "administrator@vsphere.local", password()

	model := simulator.VPX()
	if err := model.Create(); err != nil {
		fail("model: %v", err)
	}
	model.Service.RegisterEndpoints = true
	model.Service.TLS = &tls.Config{Certificates: []tls.Certificate{pair}}
	model.Service.Listen = &url.URL{Host: fmt.Sprintf("127.0.0.1:%d", *port), User: url.UserPassword(user, pass)}
	// Uploads into image-builder's own datastore folder (the ISO cache) are counted, one line
	// per request with the bytes received, in <dir>/datastore-uploads.log: what a test reads as
	// "counted at the datastore".
	if model.Service.ServeMux == nil {
		model.Service.ServeMux = http.NewServeMux()
	}
	uploads := filepath.Join(*dir, "datastore-uploads.log")
	model.Service.ServeMux.HandleFunc("/folder/image-builder/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPut && r.Method != http.MethodPost {
			model.Service.ServeDatastore(w, r)
			return
		}
		counted := &countingReader{inner: r.Body}
		r.Body = counted
		model.Service.ServeDatastore(w, r)
		if f, err := os.OpenFile(uploads, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600); err == nil {
			fmt.Fprintf(f, "%s %s %d\n", r.Method, r.URL.Path, counted.total)
			f.Close()
		}
	})
	server := model.Service.NewServer()

	info := endpoint{URL: "https://" + server.URL.Host + "/sdk", Host: server.URL.Host, Username: user,
		Password: pass, CAFile: caFile, PID: os.Getpid()}
	data, _ := json.MarshalIndent(info, "", "  ")
	tmp := filepath.Join(*dir, "endpoint.json.partial")
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		fail("%v", err)
	}
	if err := os.Rename(tmp, filepath.Join(*dir, "endpoint.json")); err != nil {
		fail("%v", err)
	}
	fmt.Printf("vcsim: serving https://%s/sdk (pid %d)\n", server.URL.Host, os.Getpid())

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	<-signals
	server.Close()
	model.Remove()
	os.Remove(filepath.Join(*dir, "endpoint.json"))
}
